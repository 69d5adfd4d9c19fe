import pytest

from tests.grants.ranking_integration.builders import hand_checked_call


@pytest.fixture
def small(db):
    """(call, {"A".."E": application}) of builders.hand_checked_call."""
    return hand_checked_call()


@pytest.fixture
def board(db):
    from fundapp.accounts.roles import Role
    from tests.factories import UserFactory

    return [UserFactory(username=f"trustee{i}", roles=[Role.BOARD]) for i in range(2)]
