"""Calls: the public pages, the secretariat's management pages, and the Q&A."""

import zoneinfo
from datetime import UTC, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.models import Call, CallStatus, ClarificationQuestion
from tests.factories import CallFactory

from .conftest import CONFIRMED

pytestmark = pytest.mark.django_db


def _call_form(**overrides) -> dict:
    data = {
        "number": "8", "title_en": "Eighth global call", "title_fr": "Huitième appel mondial",
        "description_en": "Direct assistance to victims.", "description_fr": "",
        "opens_at": "2030-01-27T09:00", "closes_at": "2030-03-31T17:00",
        "envelope_usd": "1000000.00", "min_grant_usd": "20000.00",
        "max_grant_usd": "60000.00", "max_duration_months": "24",
        "required_documents": ["registration_certificate", "project_budget"],
        "eligible_countries": ["NG", "KE"],
        "priorities-TOTAL_FORMS": "2", "priorities-INITIAL_FORMS": "0",
        "priorities-MIN_NUM_FORMS": "0", "priorities-MAX_NUM_FORMS": "20",
        "priorities-0-code": "armed-conflict", "priorities-0-name_en": "Armed conflict",
        "priorities-0-name_fr": "Conflits armés", "priorities-0-weight": "1.5",
        "priorities-1-code": "", "priorities-1-name_en": "", "priorities-1-name_fr": "",
        "priorities-1-weight": "1",
    }
    data.update(overrides)
    return data


def test_call_list_shows_open_calls_first_then_past_ones(client):
    CallFactory(number=6, title_en="Sixth call", status=CallStatus.CLOSED,
                closes_at=timezone.now() - timedelta(days=300),
                opens_at=timezone.now() - timedelta(days=400))
    CallFactory(number=9, title_en="Ninth call")
    CallFactory(number=10, title_en="Tenth call, still a draft", status=CallStatus.DRAFT)
    body = client.get(reverse("grants:call-list")).content.decode()
    assert body.index("Ninth call") < body.index("Sixth call")
    assert "still a draft" not in body


def test_a_published_call_past_its_deadline_is_listed_as_past(client):
    CallFactory(number=11, title_en="Expired but not yet swept",
                opens_at=timezone.now() - timedelta(days=30),
                closes_at=timezone.now() - timedelta(minutes=1))
    body = client.get(reverse("grants:call-list")).content.decode()
    assert body.index("Past calls") < body.index("Expired but not yet swept")


def test_call_detail_shows_terms_priorities_documents_and_deadline_in_viewer_zone(login, ngo):
    ngo.timezone = "Europe/Paris"
    ngo.save()
    closes = timezone.now().replace(microsecond=0) + timedelta(days=12, hours=2)
    call = CallFactory(closes_at=closes, eligible_countries=["NG"])
    body = login(ngo).get(reverse("grants:call-detail", args=[call.pk])).content.decode()
    paris = timezone.localtime(closes, timezone=zoneinfo.ZoneInfo("Europe/Paris"))
    assert paris.strftime("%H:%M") in body
    assert "Europe/Paris" in body
    assert "Closes in 12 days" in body
    assert "USD 1,000,000.00" in body and "USD 20,000.00" in body and "USD 60,000.00" in body
    assert "Women and girls" in body and "Registration certificate" in body
    assert "Nigeria" in body
    assert "24 months" in body


def test_anonymous_visitors_see_a_sign_in_button_instead_of_apply(client, open_call):
    body = client.get(reverse("grants:call-detail", args=[open_call.pk])).content.decode()
    assert "Sign in to apply" in body


def test_the_secretariat_creates_a_call_as_a_draft_and_publishes_it(as_secretariat, client):
    response = as_secretariat.post(reverse("grants:call-create"), _call_form())
    call = Call.objects.get(number=8)
    assert response.status_code == 302
    assert call.status == CallStatus.DRAFT
    assert [p.code for p in call.priorities.all()] == ["armed-conflict"]
    assert call.required_documents == ["registration_certificate", "project_budget"]
    assert {c.code for c in call.eligible_countries} == {"KE", "NG"}
    assert as_secretariat.get(reverse("grants:call-manage-list")).status_code == 200

    response = as_secretariat.post(reverse("grants:call-publish", args=[call.pk]), CONFIRMED)
    call.refresh_from_db()
    assert response.status_code == 302
    assert call.status == CallStatus.PUBLISHED
    client.logout()
    assert b"Eighth global call" in client.get(reverse("grants:call-list")).content


def test_call_datetimes_are_entered_in_the_secretariats_time_zone(as_secretariat, secretariat):
    secretariat.timezone = "Africa/Nairobi"
    secretariat.save()
    as_secretariat.post(reverse("grants:call-create"), _call_form())
    call = Call.objects.get(number=8)
    assert call.closes_at.astimezone(UTC).strftime("%H:%M") == "14:00"


def test_a_call_form_with_bad_amounts_keeps_what_was_typed(as_secretariat):
    response = as_secretariat.post(reverse("grants:call-create"), _call_form(
        min_grant_usd="70000.00", envelope_usd="12.345"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Eighth global call" in body
    assert "no more than 2 decimal places" in body
    assert not Call.objects.filter(number=8).exists()


def test_the_service_rule_max_below_min_is_shown_on_the_field(as_secretariat):
    response = as_secretariat.post(reverse("grants:call-create"), _call_form(
        min_grant_usd="70000.00", max_grant_usd="60000.00"))
    assert response.status_code == 400
    assert "must not be below the minimum grant" in response.content.decode()
    assert 'id="id_max_grant_usd_error"' in response.content.decode()


def test_a_duplicate_priority_code_is_refused_with_the_input_kept(as_secretariat):
    response = as_secretariat.post(reverse("grants:call-create"), _call_form(**{
        "priorities-1-code": "armed-conflict", "priorities-1-name_en": "Again"}))
    assert response.status_code == 400
    assert "Each priority needs its own code" in response.content.decode()
    assert "Again" in response.content.decode()


def test_the_secretariat_edits_a_draft_calls_priorities(as_secretariat):
    call = CallFactory(status=CallStatus.DRAFT)
    form = _call_form(number=str(call.number), title_en="Renamed", **{
        "priorities-TOTAL_FORMS": "1", "priorities-0-code": "climate",
        "priorities-0-name_en": "Climate displacement"})
    response = as_secretariat.post(reverse("grants:call-edit", args=[call.pk]), form)
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.title_en == "Renamed"
    assert [p.code for p in call.priorities.all()] == ["climate"]


def test_a_published_calls_priorities_are_shown_read_only(as_secretariat, open_call):
    body = as_secretariat.get(reverse("grants:call-edit", args=[open_call.pk])).content.decode()
    assert "priorities can no longer change" in body
    form = _call_form(number=str(open_call.number), title_en="Still open")
    response = as_secretariat.post(reverse("grants:call-edit", args=[open_call.pk]), form)
    assert response.status_code == 302
    assert [p.code for p in open_call.priorities.all()] == ["armed-conflict", "women-girls"]


def test_the_secretariat_closes_an_open_call(as_secretariat, open_call):
    response = as_secretariat.post(reverse("grants:call-close", args=[open_call.pk]), CONFIRMED)
    open_call.refresh_from_db()
    assert response.status_code == 302
    assert open_call.status == CallStatus.CLOSED


def test_publishing_twice_shows_a_message_not_an_error_page(as_secretariat, open_call):
    response = as_secretariat.post(reverse("grants:call-publish", args=[open_call.pk]),
                                   CONFIRMED, follow=True)
    assert response.status_code == 200
    assert "Only a draft call can be published" in response.content.decode()


def test_publish_and_close_need_post(as_secretariat, open_call):
    assert as_secretariat.get(reverse("grants:call-close", args=[open_call.pk])).status_code \
        == 405


def test_an_ngo_asks_a_question_and_the_secretariat_publishes_the_answer(
        login, ngo, secretariat, open_call, client):
    url = reverse("grants:call-ask", args=[open_call.pk])
    response = login(ngo).post(url, {"question": "Can we apply for two countries?"})
    assert response.status_code == 302
    question = ClarificationQuestion.objects.get()

    staff = login(secretariat)
    assert b"two countries" in staff.get(reverse("grants:call-questions",
                                                 args=[open_call.pk])).content
    response = staff.post(reverse("grants:question-answer", args=[question.pk]), {
        f"q{question.pk}-answer": "Yes, if both are eligible.", f"q{question.pk}-publish": "on"})
    assert response.status_code == 302

    client.logout()
    body = client.get(reverse("grants:call-detail", args=[open_call.pk])).content.decode()
    assert "two countries" in body and "Yes, if both are eligible." in body


def test_an_empty_question_is_refused_with_a_message(as_ngo, open_call):
    response = as_ngo.post(reverse("grants:call-ask", args=[open_call.pk]), {"question": ""})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()


def test_an_overlong_question_is_refused_and_kept(as_ngo, open_call):
    text = "Why? " * 1000
    response = as_ngo.post(reverse("grants:call-ask", args=[open_call.pk]), {"question": text})
    assert response.status_code == 400
    assert "at most 4000 characters" in response.content.decode()
    assert not ClarificationQuestion.objects.exists()


def test_questions_are_refused_after_the_deadline(as_ngo):
    call = CallFactory(opens_at=timezone.now() - timedelta(days=30),
                       closes_at=timezone.now() - timedelta(seconds=1))
    response = as_ngo.post(reverse("grants:call-ask", args=[call.pk]), {"question": "Late?"})
    assert response.status_code == 400
    assert "only be asked while the call is open" in response.content.decode()
    assert not ClarificationQuestion.objects.exists()
