"""Each message is notified to the other side only, as ``message_posted``."""

import pytest
from django.core import mail

from fundapp.notifications.models import Notification
from fundapp.notifications.rendering import render_notification
from grants.services.messages import message_post
from tests.factories import UserFactory, ngo_user
from tests.grants.messages.helpers import pdf

pytestmark = pytest.mark.django_db


def recipients() -> set[str]:
    return set(Notification.objects.filter(kind="message_posted")
               .values_list("recipient__username", flat=True))


def test_the_secretariats_message_goes_to_every_member_of_the_organisation(
        secretariat, officer, ngo, editor, viewer, other_ngo, reviewer, application):
    message_post(actor=secretariat, application=application, body="Please send the budget.")
    assert recipients() == {"ngo", "chidi", "ngozi"}


def test_an_organisations_message_goes_to_the_secretariat_only(
        secretariat, officer, ngo, editor, viewer, reviewer, board_member, application):
    message_post(actor=editor, application=application, body="Here it is.")
    assert recipients() == {"sec", "officer2"}


def test_the_author_is_not_notified_of_their_own_message(secretariat, application):
    both = UserFactory(username="both", roles=["secretariat"])
    message_post(actor=both, application=application, body="Hello")
    assert "both" not in recipients() and "sec" not in recipients()


def test_inactive_members_are_not_notified(secretariat, ngo, organisation, application):
    gone = ngo_user(organisation, org_role="editor", username="gone")
    gone.is_active = False
    gone.save()
    message_post(actor=secretariat, application=application, body="Hello")
    assert recipients() == {"ngo"}


def test_the_notice_links_to_the_thread_and_keeps_the_body_out_of_the_mail(
        secretariat, ngo, application, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message_post(actor=ngo, application=application,
                     body="Our director's passport number is X1234567.",
                     files=[pdf(), pdf("b.pdf")])
    notice = Notification.objects.get(kind="message_posted", recipient=secretariat)
    assert notice.data["url"] == f"/applications/{application.pk}/messages/"
    assert notice.data["reference"] == application.reference
    rendered = render_notification(notice)
    subject, text, html = rendered.subject, rendered.text, rendered.html
    assert subject == f"New message on {application.reference}"
    assert "2 attached files" in text and "X1234567" not in text + html
    [email] = [m for m in mail.outbox if secretariat.email in m.to]
    assert f"/applications/{application.pk}/messages/" in email.body
    assert "X1234567" not in email.body


def test_a_grant_message_names_the_grant(secretariat, ngo, grant):
    message_post(actor=secretariat, grant=grant, body="Your first tranche is paid.")
    notice = Notification.objects.get(kind="message_posted", recipient=ngo)
    assert notice.data["thread"] == "grant"
    assert notice.data["url"] == f"/grants/{grant.pk}/messages/"
    rendered = render_notification(notice)
    subject, text = rendered.subject, rendered.text
    assert grant.agreement_number in subject and "about grant" in text
