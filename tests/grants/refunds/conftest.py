import pytest

from tests.grants.implementation.helpers import active_grant, make_grant


@pytest.fixture
def grant(organisation):
    return make_grant(organisation)


@pytest.fixture
def live_grant(organisation, ngo, secretariat):
    return active_grant(organisation, ngo, secretariat)
