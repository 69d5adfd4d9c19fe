import pytest

from fundapp.accounts.roles import Role
from tests.factories import UserFactory


@pytest.fixture
def colleague(db):
    """A second active secretariat user, so the first one is not the last."""
    return UserFactory(username="sec2", roles=[Role.SECRETARIAT])


@pytest.fixture
def deactivated(db):
    return UserFactory(username="gone", roles=[Role.REVIEWER], is_active=False)


@pytest.fixture
def token_client():
    """An API client with a fresh API token of ``user`` (None: anonymous)."""
    from rest_framework.test import APIClient

    from fundapp.accounts.services import token_create

    def make(user):
        client = APIClient()
        if user is not None:
            _token, key = token_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return make
