import re

import pytest
from django.core import mail

from grants.models import OrgRole
from tests.factories import UserFactory, ngo_user

LINK = re.compile(r"/invitations/([A-Za-z0-9_-]+)/")


@pytest.fixture
def admin(organisation):
    """The organisation's first user: its admin (``ngo`` of tests/conftest.py is another)."""
    return ngo_user(organisation, username="amaka", first_name="Amaka", last_name="Okafor")


@pytest.fixture
def editor(organisation):
    return ngo_user(organisation, org_role=OrgRole.EDITOR, username="chidi", first_name="Chidi",
                    last_name="Eze")


@pytest.fixture
def viewer(organisation):
    return ngo_user(organisation, org_role=OrgRole.VIEWER, username="ngozi")


@pytest.fixture
def outsider(other_organisation):
    """An admin of another organisation."""
    return ngo_user(other_organisation, username="outsider")


@pytest.fixture
def removed(organisation, admin):
    """A former member: invited, then removed by the admin."""
    from grants.services.members import member_remove

    user = ngo_user(organisation, org_role=OrgRole.EDITOR, username="former")
    member_remove(actor=admin, membership=user.membership)
    user.refresh_from_db()
    return user


@pytest.fixture
def stranger(db):
    return UserFactory(username="stranger")


def token_from_mail(address: str) -> str:
    """The raw token of the last invitation e-mailed to ``address`` (as its reader sees it)."""
    message = [m for m in mail.outbox if address in m.to][-1]
    return LINK.search(message.body).group(1)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed(): …`` runs what the block scheduled after commit (the e-mails)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
