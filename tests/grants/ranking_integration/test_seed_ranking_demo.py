"""The ranking demo on call 7: enough reviewed applications for a funding line and a
portfolio that differs from the rank cut; idempotent."""

from io import StringIO

import pytest
from django.core.management import call_command

from fundapp.core.models import AuditEvent
from grants.demo.ranking import seed_ranking_demo
from grants.models import Application, ApplicationStatus, Call, Review, ReviewStatus
from grants.selectors.ranking import call_portfolio, call_ranking
from tests.seeding import seeded_once

pytestmark = pytest.mark.django_db


def _seed():
    call_command("seed_demo", stdout=StringIO())
    seed_ranking_demo()


demo = seeded_once(_seed)  # one seeding for the module (tests/seeding.py)


@pytest.fixture
def seeded(demo, settings):
    settings.DEBUG = True
    settings.MEDIA_ROOT = str(demo)
    return Call.objects.get(number=7)


def test_call_seven_has_thirty_reviewed_applications_and_keeps_its_history(seeded):
    # seed_demo's board stage then finalises the portfolio: under review → (not) recommended.
    apps = Application.objects.filter(call=seeded, status__in=[
        ApplicationStatus.UNDER_REVIEW, ApplicationStatus.RECOMMENDED,
        ApplicationStatus.NOT_RECOMMENDED])
    assert apps.count() == 30
    assert len({a.countries[0].code for a in apps}) >= 15
    # Its history: applications that left the round before review; none decided before
    # the Board's open meeting.
    assert Application.objects.filter(call=seeded, status__in=[
        ApplicationStatus.WITHDRAWN, ApplicationStatus.INELIGIBLE]).count() == 4
    assert not Application.objects.filter(call=seeded, status__in=[
        ApplicationStatus.APPROVED, ApplicationStatus.DECLINED]).exists()
    reviews = Review.objects.filter(application__call=seeded, status=ReviewStatus.SUBMITTED)
    per_app = {a.pk: reviews.filter(application=a).count() for a in apps}
    assert set(per_app.values()) <= {2, 3} and 3 in per_app.values()
    assert {r.reviewer.username for r in reviews} == {"reviewer1", "reviewer2", "reviewer3"}
    assert AuditEvent.objects.filter(verb="review.submit").count() == reviews.count()


def test_there_is_a_funding_line_and_normalisation_changes_the_order(seeded):
    ranking = call_ranking(seeded)
    assert 0 < ranking.funding_line_rank < len(ranking.ranked)
    seeded.normalise_reviews = False
    raw = [r.application_id for r in call_ranking(seeded).ranked]
    assert raw != [r.application_id for r in ranking.ranked]


def test_the_portfolio_differs_from_the_rank_cut(seeded):
    result = call_portfolio(seeded).result
    assert result.status == "optimal"
    assert result.rank_cut.added_ids and result.rank_cut.removed_ids
    assert not result.rank_cut.satisfies_constraints
    assert result.rank_cut.score_gained > 0 or not result.rank_cut.satisfies_constraints
    assert seeded.max_projects_per_country == 2 and seeded.min_women_girls_share == 30


def test_running_it_again_changes_nothing(seeded):
    before = (Application.objects.count(), Review.objects.count(), AuditEvent.objects.count())
    assert seed_ranking_demo() == []
    assert (Application.objects.count(), Review.objects.count(),
            AuditEvent.objects.count()) == before
