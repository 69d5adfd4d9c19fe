"""Later stages of the demo (called by ``grants.demo.seed`` in ``LATER_STAGES``), each
idempotent."""

from django.db import transaction

from fundapp.accounts.models import User
from grants.demo.board import board_seed_demo, demo_votes
from grants.demo.ranking import CALL_NUMBER, seed_ranking_demo
from grants.models import Call, Vote
from grants.selectors.ranking import current_recommendation
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
    session = done["open"]
    # Three trustees have voted (quorum is reached); trustee1 has not (its home page shows
    # the whole agenda awaiting its vote); the Chair votes and closes in the demo.
    if session is not None and not Vote.objects.filter(item__session=session).exists():
        votes = demo_votes(session, [users[t] for t in TRUSTEES[1:]])
    return {"finalised": finalised is not None, "seats": done["seats"],
            "open_session": done["open"] is not None, "votes": votes}
