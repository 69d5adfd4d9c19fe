"""Later stages of the demo (called by ``seed_demo``), each idempotent."""

from django.db import transaction

from fundapp.accounts.models import User
from grants.management.commands.seed_ranking_demo import CALL_NUMBER, seed_ranking_demo
from grants.models import Call, Vote, VoteChoice
from grants.selectors.ranking import current_recommendation
from grants.services.board import DEMO_FEEDBACK, board_seed_demo, board_vote_cast
from grants.services.ranking import portfolio_finalise

TRUSTEES = ["trustee1", "trustee2", "trustee3", "trustee4"]


def ranking_stage() -> list[str]:
    return seed_ranking_demo()


@transaction.atomic
def board_stage() -> dict:
    """Freeze call 7's portfolio and open a Board meeting on it for the Chair and trustees."""
    users = {u.username: u for u in User.objects.filter(
        username__in=["secretariat", "chair", *TRUSTEES])}
    call = Call.objects.get(number=CALL_NUMBER)
    finalised = None
    if current_recommendation(call) is None:
        finalised = portfolio_finalise(actor=users["secretariat"], call=call,
                                       note="Demo: recommendation for the Board's meeting.")
    done = board_seed_demo(secretariat=users["secretariat"], chair=users["chair"],
                           trustees=[users[t] for t in TRUSTEES], open_call=call)
    votes = 0
    if done["open"] is not None:
        votes = _trustees_vote(done["open"], [users[t] for t in TRUSTEES[:3]])
    return {"finalised": finalised is not None, "seats": done["seats"],
            "open_session": done["open"] is not None, "votes": votes}


def _trustees_vote(session, trustees) -> int:
    """Three trustees have voted (quorum is reached); the Chair votes and closes in the demo."""
    if Vote.objects.filter(item__session=session).exists():
        return 0
    count = 0
    for item in session.items.select_related("application"):
        for member in trustees:
            if item.on_reserve:
                values = {"vote": VoteChoice.DECLINE, "feedback": DEMO_FEEDBACK}
            else:
                values = {"vote": VoteChoice.APPROVE}
            board_vote_cast(actor=member, session=session, application=item.application,
                            **values)
            count += 1
    return count
