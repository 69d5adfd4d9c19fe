"""Builders for the board tests: a sitting board, a call with a finalised recommendation
(rows created directly, as the ranking service would), sessions and votes."""

import itertools
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from fundapp.accounts.roles import Role
from grants.models import (
    ApplicationStatus,
    BoardMembership,
    BoardRole,
    CallStatus,
    PortfolioItem,
    PortfolioRecommendation,
    SessionKind,
)
from grants.services.board import board_session_create, board_vote_cast
from tests.factories import ApplicationFactory, CallFactory, UserFactory, ngo_user

REFERENCES = itertools.count(1)
AMPLE = Decimal("10000000.00")


def ample_fund(monkeypatch, amount: Decimal | None = AMPLE) -> None:
    """Contributions received as if the donors app said ``amount`` (None: unknown)."""
    monkeypatch.setattr("grants.selectors.board.contributions_received_usd", lambda: amount)


def sitting_board(n_members: int = 4, *, chair: bool = True, prefix: str = "trustee"):
    """A Chair and ``n_members`` members sitting today; returns (chair, [members])."""
    start = timezone.localdate() - timedelta(days=365)
    head = None
    if chair:
        head = UserFactory(username=f"{prefix}-chair", roles=[Role.BOARD])
        BoardMembership.objects.create(user=head, role=BoardRole.CHAIR, term_start=start)
    members = []
    for i in range(1, n_members + 1):
        user = UserFactory(username=f"{prefix}{i}", roles=[Role.BOARD])
        BoardMembership.objects.create(user=user, role=BoardRole.MEMBER, term_start=start)
        members.append(user)
    return head, members


def recommended_call(*, included=(Decimal("50000.00"), Decimal("40000.00")),
                     reserve=(Decimal("30000.00"),), excluded=(), envelope=None,
                     organisation=None, **call_fields):
    """A closed call whose current recommendation includes and reserves new applications."""
    fields = {"opens_at": timezone.now() - timedelta(days=90),
              "closes_at": timezone.now() - timedelta(days=30), "status": CallStatus.CLOSED}
    if envelope is not None:
        fields["envelope_usd"] = envelope
    call = CallFactory(**(fields | call_fields))
    recommendation = PortfolioRecommendation.objects.create(
        call=call, envelope_usd=call.envelope_usd, total_usd=sum(included, Decimal("0")),
        total_score=Decimal("80.00"), solver_status="optimal")
    rank = itertools.count(1)
    for amount in included:
        _item(recommendation, amount, next(rank), included=True, organisation=organisation)
    for position, amount in enumerate(reserve, start=1):
        _item(recommendation, amount, next(rank), included=False, reserve=position,
              organisation=organisation)
    for amount in excluded:
        _item(recommendation, amount, next(rank), included=False, organisation=organisation)
    return call


def _item(recommendation, amount, rank, *, included, reserve=None, organisation=None):
    extra = {"organisation": organisation} if organisation is not None else {}
    app = ApplicationFactory(
        call=recommendation.call, requested_usd=amount, reference=f"VTF9-B{next(REFERENCES):04d}",
        status=ApplicationStatus.RECOMMENDED if included else ApplicationStatus.NOT_RECOMMENDED,
        submitted_at=timezone.now() - timedelta(days=40), **extra)
    return PortfolioItem.objects.create(
        recommendation=recommendation, application=app, rank=rank,
        total_score=Decimal(90 - rank), requested_usd=amount, included=included,
        reserve_position=reserve, reason_code="selected" if included else "reserve",
        reason_text="Highest score in its country.",
        breakdown={"row": {"total_score": str(90 - rank), "priority_score": "60.00"}})


def meeting(call, secretariat, day=None):
    return board_session_create(actor=secretariat, call=call, kind=SessionKind.MEETING,
                                meeting_date=day or timezone.localdate())


def written(call, secretariat, *, opens_at=None, closes_at=None):
    opens_at = opens_at or timezone.now() - timedelta(hours=1)
    return board_session_create(actor=secretariat, call=call, kind=SessionKind.WRITTEN,
                                opens_at=opens_at,
                                closes_at=closes_at or timezone.now() + timedelta(days=3))


def vote_all(session, voters, vote="approve", **kwargs):
    """Each voter casts ``vote`` on every item."""
    for item in session.items.all():
        for user in voters:
            values = dict(kwargs)
            if vote == "decline":
                values.setdefault("feedback", "Not convincing enough.")
            board_vote_cast(actor=user, session=session, application=item.application,
                            vote=vote, **values)


def applicant_of(app, **kwargs):
    return ngo_user(app.organisation, **kwargs)
