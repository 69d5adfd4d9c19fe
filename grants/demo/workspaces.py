"""Demo: work on the home pages of reviewers (issue 15). Idempotent.

Mekong Haven Foundation's submission to the open call 8 (``ngo6``) is screened eligible
and sent to ``reviewer1`` (who still has to declare any conflict of interest) and
``reviewer2`` (who declared none and is scoring), through the services. The Board's home
page work comes from ``grants.demo.stages.board_stage`` (``trustee1`` has not voted yet).
"""

from fundapp.accounts.models import User
from grants.demo.people import FORMER_REVIEWER, former_reviewer_leaves
from grants.models import Application, ApplicationStatus, ReviewStatus
from grants.services.reviews import review_declare, reviewers_assign
from grants.services.screening import application_screen

TITLE_ORG = "Mekong Haven Foundation"


def workspaces_stage() -> list[str]:
    created: list[str] = []
    users = {u.username: u for u in User.objects.filter(
        username__in=["secretariat", "reviewer1", "reviewer2", FORMER_REVIEWER.username])}
    app = (Application.objects.filter(call__number=8, organisation__name=TITLE_ORG)
           .exclude(status=ApplicationStatus.DRAFT).first())
    if app is None or len(users) < 4:
        if "secretariat" in users:
            former_reviewer_leaves(users["secretariat"], created)
        return created
    if app.status == ApplicationStatus.SUBMITTED:
        app = application_screen(actor=users["secretariat"], application=app, eligible=True,
                                 reasons="Demo: every condition checked by hand.")
        created.append(f"screened eligible: {app.reference}")
    if app.status == ApplicationStatus.ELIGIBLE:
        reviewers_assign(actor=users["secretariat"], application=app,
                         reviewers=[users["reviewer1"], users["reviewer2"],
                                    users[FORMER_REVIEWER.username]])
        created.append(f"reviewers assigned: {app.reference}")
    review = app.reviews.filter(reviewer=users["reviewer2"],
                                status=ReviewStatus.ASSIGNED).first()
    if review is not None:
        review_declare(actor=users["reviewer2"], review=review, conflict=False)
        created.append(f"reviewer2 declared no conflict: {app.reference}")
    former_reviewer_leaves(users["secretariat"], created)
    return created
