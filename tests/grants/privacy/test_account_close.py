"""Closing one's account: refusals, what is erased, the last e-mail, no way back in."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.utils import timezone

from fundapp.accounts.models import ApiToken
from fundapp.accounts.roles import Role
from fundapp.core.errors import StateConflict, ValidationFailed
from fundapp.core.models import AuditEvent
from fundapp.notifications.models import Notification, NotificationPreference
from fundapp.notifications.services import notify
from grants.models import Membership, Organisation, OrgRole
from grants.services.board import board_session_close
from grants.services.privacy import account_close
from tests.factories import PASSWORD, UserFactory, ngo_user
from tests.grants.board.helpers import meeting, recommended_call

from .helpers import admin_of, editor_of, reread

pytestmark = pytest.mark.django_db


def close(user, django_capture_on_commit_callbacks, password=PASSWORD):
    with django_capture_on_commit_callbacks(execute=True):
        return account_close(actor=user, password=password)


def test_closing_erases_name_email_username_and_password(ngo, django_capture_on_commit_callbacks):
    ngo.first_name, ngo.last_name = "Amina", "Okafor"
    ngo.save()
    close(ngo, django_capture_on_commit_callbacks)
    user = reread(ngo)
    assert (user.first_name, user.last_name, user.email) == ("", "", "")
    assert user.username == f"former-member-{ngo.pk}"
    assert not user.has_usable_password()
    assert not user.is_active and user.anonymised_at is not None
    assert user.display_name != "Amina Okafor"


def test_the_last_email_reaches_the_old_address_and_nothing_keeps_it(
        ngo, django_capture_on_commit_callbacks):
    address = ngo.email
    close(ngo, django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [[address]]
    assert "closed" in mail.outbox[0].subject
    farewell = Notification.objects.get(recipient=ngo, kind="account_closed")
    assert farewell.state == "sent"
    assert address not in str(farewell.data)
    assert not Notification.objects.filter(email__iexact=address).exists()


def test_a_wrong_password_is_refused_and_changes_nothing(ngo):
    with pytest.raises(ValidationFailed) as exc:
        account_close(actor=ngo, password="not-my-password")
    assert "password" in exc.value.field_errors
    assert reread(ngo).is_active and reread(ngo).anonymised_at is None


def test_the_last_admin_of_an_organisation_with_other_members_is_refused(organisation):
    admin = admin_of(organisation, username="boss")
    editor_of(organisation, username="colleague")
    with pytest.raises(StateConflict) as exc:
        account_close(actor=admin, password=PASSWORD)
    assert organisation.name in exc.value.message
    assert reread(admin).anonymised_at is None


def test_an_admin_with_another_admin_may_close(organisation, django_capture_on_commit_callbacks):
    admin = admin_of(organisation, username="boss")
    admin_of(organisation, username="deputy")
    close(admin, django_capture_on_commit_callbacks)
    assert reread(admin).anonymised_at is not None
    assert not Membership.objects.filter(user=admin).exists()


def test_the_sole_member_and_admin_may_close(organisation, django_capture_on_commit_callbacks):
    admin = admin_of(organisation, username="alone")
    close(admin, django_capture_on_commit_callbacks)
    assert reread(admin).anonymised_at is not None


def test_the_last_active_secretariat_user_is_refused(secretariat):
    UserFactory(username="gone", roles=[Role.SECRETARIAT], is_active=False)
    with pytest.raises(StateConflict) as exc:
        account_close(actor=secretariat, password=PASSWORD)
    assert "secretariat" in exc.value.message


def test_a_secretariat_user_with_a_colleague_may_close(
        secretariat, django_capture_on_commit_callbacks):
    UserFactory(username="colleague", roles=[Role.SECRETARIAT])
    close(secretariat, django_capture_on_commit_callbacks)
    assert reread(secretariat).anonymised_at is not None


def test_a_board_member_in_an_open_session_is_refused_until_it_closes(
        secretariat, chair, trustee, funded, django_capture_on_commit_callbacks):
    session = meeting(recommended_call(), secretariat)
    with pytest.raises(StateConflict) as exc:
        account_close(actor=trustee, password=PASSWORD)
    assert "Board" in exc.value.message
    session.items.update(decision="deferred")
    board_session_close(actor=chair, session=session)
    close(trustee, django_capture_on_commit_callbacks)
    assert reread(trustee).anonymised_at is not None


def test_closing_twice_is_a_conflict(ngo, django_capture_on_commit_callbacks):
    close(ngo, django_capture_on_commit_callbacks)
    with pytest.raises(StateConflict):
        account_close(actor=reread(ngo), password=PASSWORD)


def test_the_closed_user_cannot_sign_in_nor_use_a_token(ngo, client, api_as,
                                                        django_capture_on_commit_callbacks):
    api = api_as(ngo)
    assert api.get("/api/v1/me/data/").status_code == 200
    username = ngo.username
    close(ngo, django_capture_on_commit_callbacks)
    assert not ApiToken.objects.filter(user=ngo).exists()
    assert api.get("/api/v1/me/data/").status_code in (401, 403)
    for name in (username, reread(ngo).username):
        assert not client.login(username=name, password=PASSWORD)
    response = client.post("/api/v1/auth/token/", {"username": username, "password": PASSWORD})
    assert response.status_code == 400


def test_the_organisation_contact_that_was_this_person_is_erased_now_and_in_history(
        organisation, django_capture_on_commit_callbacks):
    person = ngo_user(organisation, username="contact", first_name="Ada", last_name="Obi")
    Organisation.objects.filter(pk=organisation.pk).update(
        contact_name="Ada Obi", contact_email=person.email.upper(), contact_phone="+234 1 555")
    organisation.refresh_from_db()
    organisation.website = "https://hope.example.org"
    organisation.save()  # a historical row holding the contact
    close(person, django_capture_on_commit_callbacks)
    organisation.refresh_from_db()
    assert (organisation.contact_name, organisation.contact_email,
            organisation.contact_phone) == ("", "", "")
    assert organisation.website == "https://hope.example.org"
    assert not organisation.history.filter(contact_name="Ada Obi").exists()
    assert not organisation.history.exclude(contact_phone="").exists()


def test_another_persons_contact_details_stay(organisation, django_capture_on_commit_callbacks):
    person = ngo_user(organisation, username="member")
    Organisation.objects.filter(pk=organisation.pk).update(
        contact_name="Someone Else", contact_email="director@hope.example.org")
    close(person, django_capture_on_commit_callbacks)
    organisation.refresh_from_db()
    assert organisation.contact_email == "director@hope.example.org"


def test_preferences_and_received_notifications_go_and_audit_rows_lose_the_address(
        ngo, secretariat, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(user=ngo, email_mode="digest")
    notify(recipients=[ngo], kind="account_reactivated", data={"url": "/"})
    notify(recipients=[secretariat], kind="account_deactivated_work",
           data={"name": ngo.username, "url": "/"})
    event = AuditEvent.objects.create(
        actor=secretariat, verb="account.email_change",
        target_type=ContentType.objects.get_for_model(ngo), target_id=str(ngo.pk),
        target_repr=f"{ngo.username} @ Hope", before={"email": ngo.email}, after={})
    username, address = ngo.username, ngo.email
    close(ngo, django_capture_on_commit_callbacks)
    assert not NotificationPreference.objects.filter(user=ngo).exists()
    assert list(Notification.objects.filter(recipient=ngo).values_list("kind", flat=True)) == [
        "account_closed"]
    staff_notice = Notification.objects.get(recipient=secretariat)
    assert username not in str(staff_notice.data)
    event.refresh_from_db()
    assert address not in str(event.before)
    assert event.target_repr == f"former-member-{ngo.pk} @ Hope"


def test_the_closure_audit_row_holds_no_personal_data(ngo, django_capture_on_commit_callbacks):
    ngo.first_name, ngo.last_name = "Amina", "Okafor"
    ngo.save()
    username, address = ngo.username, ngo.email
    close(ngo, django_capture_on_commit_callbacks)
    row = AuditEvent.objects.get(verb="account.close")
    text = f"{row.before} {row.after} {row.note} {row.target_repr}"
    for personal in (username, address, "Amina", "Okafor"):
        assert personal not in text
    assert row.actor_id == ngo.pk and row.after["reason"] == "closed_by_person"


def test_a_pending_invitation_to_the_address_is_revoked_and_forgets_it(
        organisation, secretariat, django_capture_on_commit_callbacks):
    from grants.models import Invitation

    person = ngo_user(organisation, username="invitee")
    invitation = Invitation.objects.create(
        email=person.email, organisation=organisation, role=OrgRole.VIEWER, token_hash="x" * 64,
        invited_by=secretariat, expires_at=timezone.now() + timedelta(days=3))
    close(person, django_capture_on_commit_callbacks)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None and invitation.email == ""


def test_second_factors_are_deleted(ngo, django_capture_on_commit_callbacks):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=ngo, name="authenticator", confirmed=True)
    close(ngo, django_capture_on_commit_callbacks)
    assert not TOTPDevice.objects.filter(user=ngo).exists()
