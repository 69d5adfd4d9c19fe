"""The demo's dates agree with one another: ngo1's application to call 8 was submitted and
asked for information before the messages that speak of them, and the History lists each
message at the message's own time."""

import pytest
from django.contrib.contenttypes.models import ContentType

from fundapp.core.models import AuditEvent
from grants.demo.conversations import conversations_stage
from grants.demo.information import information_stage
from grants.models import Application, InformationRequest, Message
from tests.grants.messages.test_demo_conversations import demo  # noqa: F401

pytestmark = pytest.mark.django_db


def _events(app, verb):
    return AuditEvent.objects.filter(target_type=ContentType.objects.get_for_model(app),
                                     target_id=str(app.pk), verb=verb)


def test_submission_and_request_come_before_the_messages(demo):  # noqa: F811
    _ngo1, _secretariat, app, _grant = demo
    assert information_stage()
    conversations_stage()
    app = Application.objects.get(pk=app.pk)
    asked = InformationRequest.objects.get(application=app).requested_at
    messages = list(Message.objects.filter(application=app).order_by("created_at"))
    assert app.submitted_at < messages[0].created_at
    assert asked < messages[1].created_at  # the secretariat's "separate request" message
    assert [e.created_at for e in _events(app, "application.request_information")] == [asked]
    assert sorted(e.created_at for e in _events(app, "message.post")) == [
        m.created_at for m in messages]
