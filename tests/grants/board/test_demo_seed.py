import pytest

from grants.models import BallotDraft, BoardMembership, BoardSession, Decision, Grant, Vote
from grants.demo.board import board_seed_demo
from tests.factories import UserFactory
from tests.grants.board.helpers import recommended_call

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_decided_session_and_an_open_one_and_runs_twice_unchanged(secretariat):
    from fundapp.accounts.roles import Role

    chair = UserFactory(username="chair", roles=[Role.BOARD])
    trustees = [UserFactory(username=f"trustee{i}", roles=[Role.BOARD]) for i in range(1, 5)]
    past, current = recommended_call(), recommended_call()
    args = {"secretariat": secretariat, "chair": chair, "trustees": trustees,
            "past_call": past, "open_call": current}
    done = board_seed_demo(**args)
    assert done["seats"] == 5 and done["closed"].status == "closed"
    assert done["open"].status == "open"
    decisions = [i.decision for i in done["closed"].items.all()]
    assert decisions == [Decision.APPROVED, Decision.APPROVED, Decision.DECLINED]
    assert Grant.objects.count() == 2
    draft = BallotDraft.objects.get(session=done["open"])  # the Chair's sheet, started
    assert draft.member == chair and len(draft.votes) == 3
    assert not Vote.objects.filter(session=done["open"]).exists()  # a draft counts for nothing
    board_seed_demo(**args)
    assert BallotDraft.objects.count() == 1
    assert (BoardMembership.objects.count(), BoardSession.objects.count(),
            Grant.objects.count()) == (5, 2, 2)
