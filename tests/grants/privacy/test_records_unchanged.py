"""The anonymisation keeps every money figure and decision unchanged: the fund's tables
read the same before and after everyone who took part closes their account."""

from datetime import date
from decimal import Decimal

import pytest

from donors.models import Contribution
from fundapp.accounts.roles import Role
from grants.models import (
    AgendaItem,
    Application,
    Disbursement,
    Grant,
    Review,
    ReviewScore,
    Screening,
    Tranche,
    Vote,
)
from grants.services.board import board_session_close, board_vote_cast
from grants.services.implementation import disbursement_record
from grants.services.privacy import account_close
from tests.donors.factories import DonorFactory, record
from tests.factories import PASSWORD, UserFactory
from tests.grants.board.helpers import meeting, recommended_call
from tests.grants.implementation.helpers import active_grant, today
from tests.grants.reviews.helpers import assign, make_reviewer, scored

from .helpers import admin_of, reread

pytestmark = pytest.mark.django_db

TABLES = {
    Application: ("id", "reference", "status", "requested_usd", "organisation_id",
                  "created_by_id"),
    Grant: ("id", "agreement_number", "status", "approved_usd", "application_id"),
    Tranche: ("id", "grant_id", "percent", "amount_usd"),
    Disbursement: ("id", "grant_id", "amount_usd", "recorded_by_id", "reference"),
    AgendaItem: ("id", "decision", "requested_usd", "approved_usd", "chair_amount_usd"),
    Vote: ("id", "member_id", "vote", "amount_usd", "conditions", "feedback"),
    Screening: ("id", "application_id", "decision", "decided_by_id"),
    Review: ("id", "reviewer_id", "status", "comment", "conflict_declared"),
    ReviewScore: ("id", "review_id", "criterion_id", "score"),
    Contribution: ("id", "donor_id", "amount", "currency", "amount_usd", "recorded_by_id"),
}


def snapshot() -> dict:
    return {model.__name__: list(model.objects.order_by("pk").values_list(*fields))
            for model, fields in TABLES.items()}


@pytest.fixture
def history(secretariat, chair, trustees, funded, organisation):
    """A decided Board session, an active grant paid once, screening, scored reviews and a
    contribution; returns the people who took part."""
    colleague = UserFactory(username="sec2", roles=[Role.SECRETARIAT])
    applicant = admin_of(organisation, username="applicant", first_name="Ada", last_name="Obi")
    session = meeting(recommended_call(organisation=organisation), secretariat)
    approved, declined, _reserve = session.items.all()
    for user in (chair, *trustees[:2]):
        board_vote_cast(actor=user, session=session, application=approved.application,
                        vote="approve", amount_usd="45000.00")
        board_vote_cast(actor=user, session=session, application=declined.application,
                        vote="decline", feedback="Not justified.")
    board_session_close(actor=chair, session=session)
    grant = active_grant(organisation, applicant, secretariat)
    disbursement_record(actor=secretariat, grant=grant, tranche=grant.tranches.get(position=1),
                        paid_on=today(), amount_usd=Decimal("40000.00"), reference="PAY-1")
    reviewer = make_reviewer("rev-x", first_name="Rita", last_name="Reviewer")
    review = scored(assign(declined.application, reviewer, status="draft", comment="Good."),
                    submitted=True)
    Screening.objects.update_or_create(application=approved.application,
                                       defaults={"decision": "eligible",
                                                 "decided_by": secretariat})
    donor_user = UserFactory(username="donor-x", roles=[Role.DONOR])
    record(DonorFactory(name="Luxembourg", users=[donor_user]), amount="60000.00",
           received_on=date(2024, 3, 1), actor=colleague)
    assert review.scores.exists() and Disbursement.objects.exists()
    return [applicant, reviewer, trustees[0], chair, donor_user, secretariat]


def test_closing_every_participant_changes_no_money_figure_nor_decision(
        history, django_capture_on_commit_callbacks):
    before = snapshot()
    assert all(before.values())
    for person in history:
        with django_capture_on_commit_callbacks(execute=True):
            account_close(actor=reread(person), password=PASSWORD)
    assert snapshot() == before
    for person in history:
        assert reread(person).anonymised_at is not None
