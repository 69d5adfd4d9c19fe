from datetime import date

import pytest

from fundapp.accounts.roles import Role
from tests.factories import UserFactory

from .factories import DonorFactory, rate

ROLES = ("anonymous", "secretariat", "donor", "ngo", "reviewer", "board_member")


@pytest.fixture
def sweden(db, donor):
    """A Member State whose portal user is the ``donor`` fixture."""
    return DonorFactory(name="Sweden", donor_type="member_state", country="SE",
                        users=[donor])


@pytest.fixture
def other_donor_user(db):
    return UserFactory(username="otherdonor", roles=[Role.DONOR])


@pytest.fixture
def norway(db, other_donor_user):
    return DonorFactory(name="Norway", donor_type="member_state", country="NO",
                        users=[other_donor_user])


@pytest.fixture
def secret_individual(db):
    return DonorFactory(name="Jane Q. Secret", donor_type="individual", country="",
                        anonymous=True)


@pytest.fixture
def eur_rates(db):
    return [rate("EUR", date(2024, 1, 1), "1.0850"), rate("EUR", date(2024, 2, 1), "1.0800"),
            rate("EUR", date(2024, 3, 1), "1.0900")]


@pytest.fixture
def everyone(secretariat, donor, ngo, reviewer, board_member, other_donor_user):
    """Every role's user, so role matrices compare like with like."""


@pytest.fixture
def web_as(request, login):
    """The test client signed in as a role fixture's user, or anonymous."""

    def make(role: str):
        return login(None if role == "anonymous" else request.getfixturevalue(role))

    return make


@pytest.fixture
def api_for(request, api_as):
    def make(role: str):
        return api_as(None if role == "anonymous" else request.getfixturevalue(role))

    return make
