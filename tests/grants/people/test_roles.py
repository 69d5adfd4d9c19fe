import pytest

from fundapp.accounts.roles import Role, roles_of
from fundapp.core.audit import AuditEvent
from fundapp.core.errors import NotAllowed, StateConflict, ValidationFailed
from fundapp.notifications.models import Notification
from grants.services.people import user_roles_set

pytestmark = pytest.mark.django_db


def _fresh(user):
    user.refresh_from_db()
    user._fund_roles = None
    return user


def test_roles_are_set_audited_and_the_person_is_told(secretariat, reviewer):
    user_roles_set(actor=secretariat, user=reviewer, roles=[Role.REVIEWER, Role.BOARD])
    assert roles_of(_fresh(reviewer)) == {Role.REVIEWER, Role.BOARD}
    event = AuditEvent.objects.get(verb="user.roles_set")
    assert event.before == {"roles": ["reviewer"]}
    assert event.after == {"roles": ["board", "reviewer"]}
    assert Notification.objects.filter(recipient=reviewer, kind="account_roles_changed").exists()


def test_an_ngo_users_role_stays_with_their_organisation(secretariat, ngo):
    user_roles_set(actor=secretariat, user=ngo, roles=[Role.REVIEWER])
    assert roles_of(_fresh(ngo)) == {Role.NGO, Role.REVIEWER}


def test_unknown_roles_are_refused(secretariat, reviewer):
    with pytest.raises(ValidationFailed) as err:
        user_roles_set(actor=secretariat, user=reviewer, roles=["admin"])
    assert "roles" in err.value.field_errors


def test_only_the_secretariat_changes_roles(reviewer, board_member):
    with pytest.raises(NotAllowed):
        user_roles_set(actor=board_member, user=reviewer, roles=[Role.SECRETARIAT])


def test_nobody_removes_their_own_secretariat_role(secretariat, colleague):
    with pytest.raises(StateConflict, match="your own"):
        user_roles_set(actor=secretariat, user=secretariat, roles=[Role.REVIEWER])
    assert Role.SECRETARIAT in roles_of(_fresh(secretariat))


def test_a_colleagues_secretariat_role_can_be_removed_while_one_remains(secretariat,
                                                                       colleague):
    user_roles_set(actor=secretariat, user=colleague, roles=[Role.REVIEWER])
    assert roles_of(_fresh(colleague)) == {Role.REVIEWER}


def test_the_last_active_secretariat_user_keeps_the_role(secretariat):
    with pytest.raises(StateConflict):
        user_roles_set(actor=secretariat, user=secretariat, roles=[])
    assert Role.SECRETARIAT in roles_of(_fresh(secretariat))


def test_an_unchanged_set_writes_nothing(secretariat, reviewer):
    user_roles_set(actor=secretariat, user=reviewer, roles=[Role.REVIEWER])
    assert not AuditEvent.objects.filter(verb="user.roles_set").exists()
