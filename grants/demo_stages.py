"""Later stages of the demo (called by ``seed_demo``), each idempotent."""

from django.db import transaction

from fundapp.accounts.models import User
from grants.management.commands.seed_ranking_demo import CALL_NUMBER, seed_ranking_demo
from grants.models import Call
from grants.selectors.ranking import current_recommendation
from grants.services.board import board_seed_demo
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
    return {"finalised": finalised is not None, "seats": done["seats"],
            "open_session": done["open"] is not None}
