import pytest

from grants.models import OrgRole
from tests.factories import UserFactory, ngo_user
from tests.grants.implementation.helpers import make_grant
from tests.grants.messages.helpers import submitted_application


@pytest.fixture
def application(organisation, open_call):
    return submitted_application(organisation, open_call)


@pytest.fixture
def grant(organisation):
    return make_grant(organisation)


@pytest.fixture
def editor(organisation):
    return ngo_user(organisation, org_role=OrgRole.EDITOR, username="chidi", first_name="Chidi",
                    last_name="Eze")


@pytest.fixture
def viewer(organisation):
    return ngo_user(organisation, org_role=OrgRole.VIEWER, username="ngozi")


@pytest.fixture
def officer(db):
    """A second secretariat officer."""
    from fundapp.accounts.roles import Role

    return UserFactory(username="officer2", first_name="Marta", last_name="Ruiz",
                       roles=[Role.SECRETARIAT])
