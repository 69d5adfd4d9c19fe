"""Builders shared by the screening and review tests (service, API and web)."""

import itertools
from pathlib import Path

from django.utils import timezone

from fundapp.accounts.roles import Role
from grants.models import ApplicationStatus, Review, ReviewerProfile, ReviewStatus
from grants.services.reviews import call_rubric_ensure_defaults
from tests.factories import UserFactory, complete_application

SAMPLE_LIST = Path(__file__).resolve().parent.parent / "screening" / "data" / (
    "consolidated_sample.xml")
REFERENCES = itertools.count(1)
ALL_FIVES = {"relevance": 5, "victim-centred": 5, "feasibility": 5, "capacity": 5,
             "cost-effectiveness": 5, "sustainability": 5}


def submitted_application(**kwargs):
    app = complete_application(**kwargs)
    app.status, app.submitted_at = ApplicationStatus.SUBMITTED, timezone.now()
    app.reference = f"VTF9-{next(REFERENCES):04d}"
    app.save()
    return app


def eligible_application(**kwargs):
    app = submitted_application(**kwargs)
    app.status = ApplicationStatus.ELIGIBLE
    app.save()
    return app


def make_reviewer(username=None, *, external=True, countries=(), organisations=(), **kwargs):
    user = UserFactory(roles=[Role.REVIEWER], **({"username": username} if username else {}),
                       **kwargs)
    profile = ReviewerProfile.objects.create(user=user, is_external=external,
                                             conflict_countries=list(countries))
    profile.conflict_organisations.set(organisations)
    return user


def assign(app, reviewer, status=ReviewStatus.ASSIGNED, **fields) -> Review:
    """A review in ``status`` without going through the services (for set-up)."""
    call_rubric_ensure_defaults(call=app.call)
    declared = {ReviewStatus.ASSIGNED: None, ReviewStatus.CONFLICT: True}.get(status, False)
    review = Review.objects.create(application=app, reviewer=reviewer, status=status,
                                   conflict_declared=declared, **fields)
    if app.status == ApplicationStatus.ELIGIBLE:
        app.status = ApplicationStatus.UNDER_REVIEW
        app.save()
    return review


def scored(review, scores=None, submitted=False):
    from grants.models import ReviewScore

    criteria = {c.code: c for c in review.application.call.review_criteria.all()}
    for code, value in (scores or ALL_FIVES).items():
        ReviewScore.objects.update_or_create(review=review, criterion=criteria[code],
                                             defaults={"score": value})
    if submitted:
        review.status, review.submitted_at = ReviewStatus.SUBMITTED, timezone.now()
        review.save()
    return review
