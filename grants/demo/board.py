"""Demo Board of Trustees: the seats, the sessions, the demo votes and a ballot draft (the
one copy).

Everything goes through the Board's services (``grants.services.board``), so the rules
are checked and audit rows are written.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from fundapp.accounts.models import User
from fundapp.core.money import CENT
from grants.models import (
    AgendaItem,
    BoardMembership,
    BoardRole,
    BoardSession,
    Call,
    SessionKind,
    VoteChoice,
)
from grants.selectors.board import current_recommendation, session_overview
from grants.services.board import (
    board_ballot_draft_save,
    board_membership_add,
    board_session_close,
    board_session_create,
    board_vote_cast,
)

DEMO_FEEDBACK = "The board asks for a clearer budget for shelter costs and a referral plan."


def board_seed_demo(*, secretariat: User, chair: User, trustees: list[User],
                    past_call: Call | None = None, open_call: Call | None = None) -> dict:
    """The board's seats; a closed session on ``past_call`` and an open one on
    ``open_call``, each only when the call has a finalised recommendation and no session
    yet (idempotent)."""
    done = {"seats": 0, "closed": None, "open": None}
    if not BoardMembership.objects.exists():
        start = date(timezone.localdate().year - 2, 1, 1)
        for user, role in [(chair, BoardRole.CHAIR), *((t, BoardRole.MEMBER) for t in trustees)]:
            board_membership_add(actor=secretariat, user=user, role=role, term_start=start)
            done["seats"] += 1
    if past_call is not None and _fresh(past_call):
        session = board_session_create(actor=secretariat, call=past_call,
                                       kind=SessionKind.MEETING,
                                       meeting_date=timezone.localdate())
        demo_votes(session, [chair, *trustees], varied=True)
        overdraws = session_overview(session, chair).budget.overdraws
        done["closed"] = board_session_close(
            actor=chair, session=session,
            override_reason="Demo: pledges expected this quarter." if overdraws else "")
    if open_call is not None and _fresh(open_call):
        done["open"] = board_session_create(actor=secretariat, call=open_call,
                                            kind=SessionKind.MEETING,
                                            meeting_date=timezone.localdate() + timedelta(days=7))
        demo_ballot_draft(done["open"], chair)
    return done


def demo_ballot_draft(session: BoardSession, member: User) -> int:
    """``member`` has started the ballot sheet and saved it as a draft: the first two
    recommended applications approved (the second for less, with a condition) and the first
    reserve declined with feedback; the rest left to fill in. Returns the rows kept."""
    items = list(session.items.order_by("position"))
    recommended = [i for i in items if not i.on_reserve][:2]
    reserve = [i for i in items if i.on_reserve][:1]
    rows = {}
    for n, item in enumerate(recommended):
        rows[str(item.pk)] = {"vote": VoteChoice.APPROVE, "amount_usd": "", "conditions": "",
                              "feedback": ""}
        if n == 1:
            rows[str(item.pk)] |= {
                "amount_usd": f"{(item.requested_usd * Decimal('0.9')).quantize(CENT):.2f}",
                "conditions": "Quarterly narrative reports to the secretariat."}
    for item in reserve:
        rows[str(item.pk)] = {"vote": VoteChoice.DECLINE, "amount_usd": "", "conditions": "",
                              "feedback": DEMO_FEEDBACK}
    draft = board_ballot_draft_save(actor=member, session=session, votes=rows)
    return len(draft.votes) if draft else 0


def _fresh(call: Call) -> bool:
    return (current_recommendation(call) is not None
            and not BoardSession.objects.filter(call=call).exists())


def demo_votes(session: BoardSession, members: list[User], *, varied: bool = False) -> int:
    """Every member votes on every item: reserve items declined with feedback, the others
    approved. ``varied`` (a session decided in the demo) adds, on the first item, a vote
    for a lower amount with conditions and a recusal (the last member), and abstentions
    (every fourth member). Returns the number of votes cast."""
    count = 0
    for n, item in enumerate(session.items.select_related("application")):
        for i, user in enumerate(members):
            values = _vote(item, n, i, len(members)) if varied else _plain_vote(item)
            board_vote_cast(actor=user, session=session, application=item.application,
                            **values)
            count += 1
    return count


def _plain_vote(item: AgendaItem) -> dict:
    if item.on_reserve:
        return {"vote": VoteChoice.DECLINE, "feedback": DEMO_FEEDBACK}
    return {"vote": VoteChoice.APPROVE}


def _vote(item: AgendaItem, n: int, i: int, size: int) -> dict:
    if item.on_reserve:
        return _plain_vote(item)
    if n == 0 and i == size - 1:
        return {"vote": VoteChoice.RECUSE}
    if n == 0 and i == 1:
        return {"vote": VoteChoice.APPROVE, "conditions": "Quarterly narrative reports.",
                "amount_usd": (item.requested_usd * Decimal("0.9")).quantize(CENT)}
    return {"vote": VoteChoice.APPROVE if i % 4 else VoteChoice.ABSTAIN}
