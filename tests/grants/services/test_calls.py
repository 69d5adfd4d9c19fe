from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from fundapp.core.errors import NotAllowed, StateConflict, ValidationFailed
from grants.models import CallStatus
from grants.services.calls import (
    call_close,
    call_create,
    call_publish,
    call_update,
    calls_close_due,
    clarification_answer,
    clarification_ask,
)
from tests.factories import CallFactory, complete_application

pytestmark = pytest.mark.django_db


def call_values(**overrides):
    now = timezone.now()
    values = {
        "number": 42, "title_en": "Eighth call", "title_fr": "Huitième appel",
        "opens_at": now, "closes_at": now + timedelta(days=30),
        "envelope_usd": Decimal("1000000.00"), "min_grant_usd": Decimal("20000.00"),
        "max_grant_usd": Decimal("60000.00"), "max_duration_months": 24,
        "required_documents": ["registration_certificate"], "eligible_countries": [],
    }
    return values | overrides


PRIORITIES = [{"code": "women-girls", "name_en": "Women and girls", "weight": Decimal("2")}]


def test_secretariat_creates_a_draft_call_with_priorities(secretariat):
    call = call_create(actor=secretariat, values=call_values(), priorities=PRIORITIES)
    assert call.status == CallStatus.DRAFT
    assert [(p.code, p.weight) for p in call.priorities.all()] == [("women-girls", 2)]


def test_an_ngo_cannot_create_a_call(ngo):
    with pytest.raises(NotAllowed):
        call_create(actor=ngo, values=call_values(), priorities=PRIORITIES)


@pytest.mark.parametrize("overrides,field", [
    ({"max_grant_usd": Decimal("10000.00")}, "max_grant_usd"),
    ({"envelope_usd": Decimal("-1.00")}, "envelope_usd"),
    ({"max_grant_usd": Decimal("2000000.00")}, "max_grant_usd"),
    ({"closes_at": timezone.now() - timedelta(days=400)}, "closes_at"),
    ({"eligible_countries": ["ZZ"]}, "eligible_countries"),
    ({"required_documents": ["selfie"]}, "required_documents"),
])
def test_inconsistent_call_terms_are_refused(secretariat, overrides, field):
    with pytest.raises(ValidationFailed) as exc:
        call_create(actor=secretariat, values=call_values(**overrides), priorities=PRIORITIES)
    assert field in exc.value.field_errors


def test_duplicate_call_number_is_refused(secretariat):
    call_create(actor=secretariat, values=call_values(), priorities=PRIORITIES)
    with pytest.raises(ValidationFailed):
        call_create(actor=secretariat, values=call_values(), priorities=PRIORITIES)


def test_publish_needs_a_future_deadline_and_a_priority(secretariat):
    call = call_create(actor=secretariat, values=call_values(), priorities=[])
    with pytest.raises(StateConflict):
        call_publish(actor=secretariat, call=call)
    call_update(actor=secretariat, call=call, values={}, priorities=PRIORITIES)
    call = call_publish(actor=secretariat, call=call)
    assert call.status == CallStatus.PUBLISHED and call.published_at


def test_a_published_call_cannot_be_published_twice(secretariat):
    call = CallFactory()
    with pytest.raises(StateConflict):
        call_publish(actor=secretariat, call=call)


def test_priorities_are_frozen_once_published(secretariat):
    call = CallFactory()
    with pytest.raises(StateConflict):
        call_update(actor=secretariat, call=call, values={}, priorities=PRIORITIES)


def test_published_call_past_its_deadline_reads_as_closed():
    call = CallFactory(closes_at=timezone.now() - timedelta(minutes=1))
    assert call.status == CallStatus.PUBLISHED
    assert call.effective_status == CallStatus.CLOSED
    assert not call.is_accepting_submissions()


def test_periodic_close_closes_only_calls_past_their_deadline(secretariat):
    due = CallFactory(closes_at=timezone.now() - timedelta(minutes=1))
    running = CallFactory()
    assert calls_close_due() == [due.pk]
    due.refresh_from_db()
    running.refresh_from_db()
    assert (due.status, running.status) == (CallStatus.CLOSED, CallStatus.PUBLISHED)
    assert calls_close_due() == []


def test_closing_a_closed_call_is_a_conflict(secretariat):
    call = call_close(actor=secretariat, call=CallFactory())
    with pytest.raises(StateConflict):
        call_close(actor=secretariat, call=call)


def test_ngo_asks_and_secretariat_publishes_an_answer(ngo, secretariat, open_call):
    q = clarification_ask(actor=ngo, call=open_call, question="Are co-financed projects eligible?")
    assert q.organisation == ngo.membership.organisation and not q.is_published
    q = clarification_answer(actor=secretariat, question=q, answer="Yes, if disclosed.")
    assert q.is_published and q.answered_by == secretariat


def test_questions_are_refused_once_the_call_has_closed(ngo):
    call = CallFactory(closes_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(StateConflict):
        clarification_ask(actor=ngo, call=call, question="Too late?")


def test_published_answer_notifies_organisations_holding_drafts_only(
        ngo, other_ngo, secretariat, open_call, organisation, django_capture_on_commit_callbacks):
    from fundapp.notifications.models import Notification

    complete_application(call=open_call, organisation=organisation)
    q = clarification_ask(actor=other_ngo, call=open_call, question="Budget template?")
    with django_capture_on_commit_callbacks(execute=True):
        clarification_answer(actor=secretariat, question=q, answer="Any format.")
    recipients = set(Notification.objects.filter(kind="clarification_answered")
                     .values_list("recipient__username", flat=True))
    assert recipients == {"ngo"}
