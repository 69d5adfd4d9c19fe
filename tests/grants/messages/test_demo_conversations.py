"""The demo's two threads: built through the service, once, with the unread state the README
describes."""

import pytest

from fundapp.accounts.roles import Role
from grants.demo.applications import OPEN_APPLICATIONS
from grants.demo.conversations import conversations_stage
from grants.models import GrantStatus, Message
from grants.selectors.messages import threads_awaiting_answer, unread_counts_for
from tests.factories import CallFactory, UserFactory, ngo_user
from tests.grants.implementation.helpers import make_grant
from tests.grants.messages.helpers import submitted_application

pytestmark = pytest.mark.django_db

TITLE = next(s.title for s in OPEN_APPLICATIONS if s.ngo == "ngo1" and s.submit)


@pytest.fixture
def demo(organisation):
    ngo1 = ngo_user(organisation, username="ngo1")
    secretariat = UserFactory(username="secretariat", roles=[Role.SECRETARIAT])
    app = submitted_application(organisation, CallFactory(number=8), reference="VTF8-0001")
    type(app).objects.filter(pk=app.pk).update(title=TITLE)
    grant = make_grant(organisation, status=GrantStatus.ACTIVE)
    return ngo1, secretariat, app, grant


def test_two_threads_once(demo):
    ngo1, secretariat, app, grant = demo
    assert conversations_stage() == ["message thread on VTF8-0001 (3 messages)",
                                     f"message thread on grant {grant.agreement_number} "
                                     "(2 messages)"]
    assert conversations_stage() == []
    assert Message.objects.filter(application=app).count() == 3
    assert app.messages.filter(attachments__isnull=False).count() == 1
    assert unread_counts_for(ngo1, applications=[app]) == {app.pk: 2}
    assert unread_counts_for(secretariat, grants=[grant]) == {grant.pk: 1}
    assert list(threads_awaiting_answer(secretariat).grants) == [grant]
    assert list(threads_awaiting_answer(ngo1).applications) == [app]


def test_no_active_grant_no_grant_thread(demo):
    _ngo1, _secretariat, _app, grant = demo
    type(grant).objects.filter(pk=grant.pk).update(status=GrantStatus.PENDING_SIGNATURE)
    assert conversations_stage() == ["message thread on VTF8-0001 (3 messages)"]
