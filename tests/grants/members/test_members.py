"""Member roles and removal: the organisation always keeps an admin; every change is
audited and the member is told."""

import pytest

from fundapp.core.audit import audit_trail_for
from fundapp.core.errors import NotAllowed, StateConflict, ValidationFailed
from fundapp.notifications.models import Notification
from grants.models import Membership, OrgRole
from grants.services.members import member_change_role, member_remove, require_org_role

pytestmark = pytest.mark.django_db


def test_an_admin_changes_a_members_role_and_the_member_is_told(admin, editor, organisation):
    member_change_role(actor=admin, membership=editor.membership, role=OrgRole.VIEWER)
    assert Membership.objects.get(user=editor).role == OrgRole.VIEWER
    note = Notification.objects.get(recipient=editor, kind="member_role_changed")
    assert note.data["role"] == "viewer" and note.data["by"] == "Amaka Okafor"
    event = [e for e in audit_trail_for(organisation)
             if e.verb == "organisation.member_role_change"][0]
    assert (event.actor, event.before["role"], event.after["role"]) == (
        admin, "editor", "viewer")


def test_the_last_admin_cannot_be_demoted(admin, editor):
    with pytest.raises(StateConflict, match="last administrator"):
        member_change_role(actor=admin, membership=admin.membership, role=OrgRole.EDITOR)
    assert Membership.objects.get(user=admin).role == OrgRole.ADMIN


def test_an_admin_may_step_down_once_another_admin_exists(admin, editor):
    member_change_role(actor=admin, membership=editor.membership, role=OrgRole.ADMIN)
    member_change_role(actor=admin, membership=admin.membership, role=OrgRole.EDITOR)
    assert Membership.objects.get(user=admin).role == OrgRole.EDITOR


def test_the_last_admin_cannot_leave_nor_be_removed(admin, editor):
    with pytest.raises(StateConflict, match="last administrator"):
        member_remove(actor=admin, membership=admin.membership)
    assert Membership.objects.filter(user=admin).exists()


def test_a_deactivated_admin_does_not_count_as_the_remaining_admin(admin, ngo):
    ngo.is_active = False
    ngo.save()
    with pytest.raises(StateConflict):
        member_remove(actor=admin, membership=admin.membership)


@pytest.mark.parametrize("who", ["editor", "viewer", "outsider", "secretariat"])
def test_only_admins_change_roles_or_remove_others(who, request, admin, editor, viewer):
    actor = request.getfixturevalue(who)
    target = viewer if actor != viewer else editor
    with pytest.raises(NotAllowed):
        member_change_role(actor=actor, membership=target.membership, role=OrgRole.ADMIN)
    with pytest.raises(NotAllowed):
        member_remove(actor=actor, membership=target.membership)
    assert Membership.objects.get(user=target).role != OrgRole.ADMIN


def test_an_admin_removes_a_member_who_is_told_and_loses_access(admin, editor, organisation):
    member_remove(actor=admin, membership=editor.membership)
    assert not Membership.objects.filter(user=editor).exists()
    assert Notification.objects.filter(recipient=editor, kind="member_removed").exists()
    assert "organisation.member_remove" in [e.verb for e in audit_trail_for(organisation)]
    editor.refresh_from_db()
    with pytest.raises(NotAllowed):
        require_org_role(editor, organisation, *OrgRole.values)


def test_a_member_leaves(admin, viewer, organisation):
    member_remove(actor=viewer, membership=viewer.membership)
    assert not Membership.objects.filter(user=viewer).exists()
    assert "organisation.member_leave" in [e.verb for e in audit_trail_for(organisation)]


def test_an_unknown_role_is_a_validation_error(admin, editor):
    with pytest.raises(ValidationFailed):
        member_change_role(actor=admin, membership=editor.membership, role="owner")


def test_existing_memberships_become_admins_in_the_migration(organisation, editor, viewer):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("grants.migrations.0008_members_roles_and_invitations")
    migration.existing_members_become_admins(apps, None)
    assert set(Membership.objects.values_list("role", flat=True)) == {OrgRole.ADMIN}
