"""Invitations: one use, expiry, revocation, the wrong organisation, already a member."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from fundapp.accounts.roles import Role, has_role
from fundapp.core.audit import audit_trail_for
from fundapp.core.errors import NotAllowed, NotFound, StateConflict, ValidationFailed
from fundapp.notifications.models import Notification
from grants.models import Invitation, Membership, OrgRole
from grants.services.invitations import (
    invitation_accept,
    invitation_create,
    invitation_revoke,
    token_hash,
)
from tests.factories import UserFactory
from tests.grants.members.conftest import token_from_mail

pytestmark = pytest.mark.django_db
PASSWORD = "Wide-Harbour-2026!"


def invite(admin, organisation, email="colleague@example.org", role=OrgRole.EDITOR):
    return invitation_create(actor=admin, organisation=organisation, email=email, role=role)


def test_the_invitation_mails_a_link_and_stores_only_the_tokens_hash(admin, organisation,
                                                                     committed):
    with committed():
        invitation, token = invite(admin, organisation, email="Colleague@Example.ORG")
    assert invitation.email == "Colleague@example.org"
    assert invitation.token_hash == token_hash(token) and token not in invitation.token_hash
    assert token_from_mail("Colleague@example.org") == token
    message = mail.outbox[-1]
    assert "Hope Shelter Nigeria" in message.body and "Amaka Okafor" in message.body
    assert abs(invitation.expires_at - invitation.created_at - timedelta(days=7)) < timedelta(
        seconds=5)
    row = Notification.objects.get(email="Colleague@example.org")
    assert row.recipient is None and row.kind == "invitation" and row.state == "sent"
    assert token not in str(row.data)  # once sent, the link lives in the e-mail only


def test_a_new_person_creates_an_account_and_joins_with_the_invited_role(admin, organisation):
    _invitation, token = invite(admin, organisation)
    user = invitation_accept(token=token, username="chinwe", password=PASSWORD)
    assert user.email == "colleague@example.org" and user.email_verified and user.is_active
    assert user.check_password(PASSWORD) and has_role(user, Role.NGO)
    membership = Membership.objects.get(user=user)
    assert (membership.organisation, membership.role, membership.invited_by) == (
        organisation, OrgRole.EDITOR, admin)


def test_the_inviter_and_the_admins_are_told_when_it_is_accepted(admin, ngo, organisation):
    _invitation, token = invite(admin, organisation)
    user = invitation_accept(token=token, username="chinwe", password=PASSWORD)
    told = set(Notification.objects.filter(kind="invitation_accepted")
               .values_list("recipient__username", flat=True))
    assert told == {"amaka", "ngo"}  # both admins, the inviter once, not the newcomer
    assert user.username not in told


def test_a_signed_in_person_without_an_organisation_joins(admin, organisation):
    person = UserFactory(username="returning")
    _invitation, token = invite(admin, organisation, role=OrgRole.VIEWER)
    assert invitation_accept(token=token, user=person) == person
    assert person.membership.role == OrgRole.VIEWER and has_role(person, Role.NGO)


def test_a_link_works_once(admin, organisation):
    _invitation, token = invite(admin, organisation)
    invitation_accept(token=token, username="chinwe", password=PASSWORD)
    with pytest.raises(NotFound):
        invitation_accept(token=token, username="someone-else", password=PASSWORD)


def test_an_expired_link_is_not_found(admin, organisation):
    invitation, token = invite(admin, organisation)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(NotFound):
        invitation_accept(token=token, username="chinwe", password=PASSWORD)


def test_a_revoked_link_is_not_found_and_revoking_is_audited(admin, organisation):
    invitation, token = invite(admin, organisation)
    invitation_revoke(actor=admin, invitation=invitation)
    with pytest.raises(NotFound):
        invitation_accept(token=token, username="chinwe", password=PASSWORD)
    assert "invitation.revoke" in [e.verb for e in audit_trail_for(invitation)]
    with pytest.raises(StateConflict):
        invitation_revoke(actor=admin, invitation=invitation)


def test_an_unknown_token_is_not_found(db):
    with pytest.raises(NotFound):
        invitation_accept(token="not-a-token", username="x", password=PASSWORD)


def test_a_second_invitation_to_the_same_address_replaces_the_first(admin, organisation):
    first, first_token = invite(admin, organisation)
    _second, second_token = invite(admin, organisation, role=OrgRole.VIEWER)
    first.refresh_from_db()
    assert first.revoked_at is not None
    with pytest.raises(NotFound):
        invitation_accept(token=first_token, username="chinwe", password=PASSWORD)
    user = invitation_accept(token=second_token, username="chinwe", password=PASSWORD)
    assert user.membership.role == OrgRole.VIEWER


@pytest.mark.parametrize("who", ["editor", "viewer", "outsider", "secretariat", "removed"])
def test_only_the_organisations_admins_invite(who, request, organisation):
    actor = request.getfixturevalue(who)
    with pytest.raises(NotAllowed):
        invite(actor, organisation)
    assert not Invitation.objects.exists()


def test_an_admin_cannot_revoke_another_organisations_invitation(admin, outsider, organisation):
    invitation, _token = invite(admin, organisation)
    with pytest.raises(NotAllowed):
        invitation_revoke(actor=outsider, invitation=invitation)


def test_a_member_of_another_organisation_cannot_join_a_second(admin, outsider, organisation):
    _invitation, token = invite(admin, organisation)
    with pytest.raises(StateConflict, match="already belong to Other NGO"):
        invitation_accept(token=token, user=outsider)
    assert outsider.membership.organisation.name == "Other NGO"
    assert Invitation.objects.pending().count() == 1  # still usable by the right person


def test_a_member_is_told_they_already_belong(admin, editor, organisation):
    _invitation, token = invite(admin, organisation)
    with pytest.raises(StateConflict, match="already a member"):
        invitation_accept(token=token, user=editor)


def test_a_new_account_follows_the_password_validators_and_free_usernames(admin, organisation):
    _invitation, token = invite(admin, organisation)
    with pytest.raises(ValidationFailed) as weak:
        invitation_accept(token=token, username="amaka", password="123")
    assert set(weak.value.field_errors) == {"username", "password"}
    assert Invitation.objects.pending().count() == 1


def test_an_address_with_an_account_must_sign_in_first(admin, organisation):
    UserFactory(username="has-account", email="colleague@example.org")
    _invitation, token = invite(admin, organisation)
    with pytest.raises(ValidationFailed) as exc:
        invitation_accept(token=token, username="newname", password=PASSWORD)
    assert "email" in exc.value.field_errors


def test_an_address_already_in_the_organisation_is_refused(admin, editor, organisation):
    with pytest.raises(ValidationFailed):
        invite(admin, organisation, email=editor.email.upper())


def test_a_bad_role_or_address_is_a_validation_error(admin, organisation):
    with pytest.raises(ValidationFailed):
        invite(admin, organisation, role="owner")
    with pytest.raises(ValidationFailed):
        invite(admin, organisation, email="not an address")
