"""Bad input gets a message a person understands, keeps what was typed, and never a 500."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from grants.models import ApplicationStatus
from tests.factories import ApplicationFactory, CallFactory, complete_application

from .conftest import CONFIRMED, draft_post

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def draft(open_call, organisation):
    return ApplicationFactory(call=open_call, organisation=organisation, title="Saved title",
                              requested_usd=Decimal("40000.00"))


def _save(client, app, **fields):
    return client.post(reverse("grants:application-edit", args=[app.pk]), draft_post(**fields))


def test_an_out_of_range_amount_shows_an_error_and_the_typed_title_stays(as_ngo, draft):
    response = _save(as_ngo, draft, title="A new title I just typed", requested_usd="75000")
    body = response.content.decode()
    assert response.status_code == 400
    assert "This call funds between USD 20,000.00 and USD 60,000.00" in body
    assert 'value="A new title I just typed"' in body
    assert 'value="75000"' in body
    assert 'aria-describedby="id_requested_usd_helptext id_requested_usd_error"' in body
    draft.refresh_from_db()
    assert draft.requested_usd == Decimal("40000.00")


@pytest.mark.parametrize(("amount", "message"), [
    ("50000.123", "no more than 2 decimal places"),
    ("-5", "greater than or equal to 0.01"),
    ("0", "greater than or equal to 0.01"),
    ("fifty thousand", "Enter a number"),
    ("1e400", "no more than 14 digits"),
])
def test_malformed_amounts_are_refused_and_nothing_saved_is_lost(as_ngo, draft, amount,
                                                                 message):
    response = _save(as_ngo, draft, title="Saved title", requested_usd=amount)
    assert response.status_code == 400
    assert message in response.content.decode()
    draft.refresh_from_db()
    assert draft.requested_usd == Decimal("40000.00")


def test_a_hundred_thousand_character_title_is_refused(as_ngo, draft):
    response = _save(as_ngo, draft, title="x" * 100_000, summary="Kept summary")
    assert response.status_code == 400
    assert "at most 200 characters" in response.content.decode()
    draft.refresh_from_db()
    assert draft.title == "Saved title" and draft.summary == "Kept summary"


def test_an_unknown_country_is_refused(as_ngo, draft):
    response = _save(as_ngo, draft, countries=["XX"])
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_a_country_outside_the_calls_list_is_refused(as_ngo, organisation):
    call = CallFactory(eligible_countries=["NG"])
    app = ApplicationFactory(call=call, organisation=organisation)
    response = _save(as_ngo, app, countries=["FR"])
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_a_negative_beneficiary_count_is_refused(as_ngo, draft):
    response = _save(as_ngo, draft, beneficiaries_girls="-3", beneficiaries_women="12")
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.beneficiaries_women == 12 and draft.beneficiaries_girls == 25


def test_a_bad_budget_line_is_reported_with_its_row(as_ngo, draft):
    response = _save(as_ngo, draft, lines=[("personnel", "Staff", "12.345")])
    body = response.content.decode()
    assert response.status_code == 400
    assert "no more than 2 decimal places" in body and 'value="12.345"' in body
    assert not draft.budget_lines.exists()


def test_a_forged_budget_category_is_refused(as_ngo, draft):
    response = _save(as_ngo, draft, lines=[("bribes", "", "100.00")])
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_a_garbage_autosave_gets_an_answer_not_a_server_error(as_ngo, draft):
    response = as_ngo.post(reverse("grants:application-autosave", args=[draft.pk]),
                           {"lines-TOTAL_FORMS": "abc", "start_date": "31/31/2031",
                            "duration_months": "-1"}, **HTMX)
    assert response.status_code == 200
    assert "not saved" in response.content.decode()
    draft.refresh_from_db()
    assert draft.title == "Saved title"


def test_a_malformed_budget_row_request_still_answers(as_ngo, draft):
    response = as_ngo.get(reverse("grants:application-budget-line", args=[draft.pk]),
                          {"lines-TOTAL_FORMS": "9999999"}, **HTMX)
    assert response.status_code == 200


def test_an_executable_renamed_pdf_is_refused(as_ngo, draft):
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200,
                              content_type="application/pdf")
    response = as_ngo.post(reverse("grants:attachment-upload", args=[draft.pk]),
                           {"kind": "work_plan", "file": fake})
    assert response.status_code == 400
    assert "judged by" in response.content.decode() or "content is not one of them" in \
        response.content.decode()
    assert not draft.attachments.exists()


def test_an_eleven_megabyte_upload_is_refused(as_ngo, draft):
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024),
                             content_type="application/pdf")
    response = as_ngo.post(reverse("grants:attachment-upload", args=[draft.pk]),
                           {"kind": "work_plan", "file": big}, **HTMX)
    assert response.status_code == 200
    assert "larger than 10 MB" in response.content.decode()
    assert not draft.attachments.exists()


def test_an_upload_without_a_kind_is_refused(as_ngo, draft):
    response = as_ngo.post(reverse("grants:attachment-upload", args=[draft.pk]),
                           {"kind": "", "file": SimpleUploadedFile("a.pdf", b"%PDF-1.4")})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()


def test_a_submission_after_the_deadline_is_refused_with_409(as_ngo, organisation):
    call = CallFactory(opens_at=timezone.now() - timedelta(days=30),
                       closes_at=timezone.now() + timedelta(days=1))
    app = complete_application(call=call, organisation=organisation)
    call.closes_at = timezone.now() - timedelta(seconds=1)
    call.save()
    response = as_ngo.post(reverse("grants:application-submit", args=[app.pk]), CONFIRMED)
    assert response.status_code == 409
    assert "deadline for this call has passed" in response.content.decode()
    app.refresh_from_db()
    assert app.status == ApplicationStatus.DRAFT and app.title


def test_an_unverified_organisation_cannot_submit_and_is_told_why(login, open_call):
    from tests.factories import OrganisationFactory, ngo_user

    org = OrganisationFactory(status="pending")
    app = complete_application(call=open_call, organisation=org)
    response = login(ngo_user(org)).post(reverse("grants:application-submit", args=[app.pk]),
                                        CONFIRMED)
    assert response.status_code == 409
    assert "must be verified by the secretariat" in response.content.decode()


def test_a_non_numeric_id_in_the_url_is_not_found(as_ngo):
    assert as_ngo.get("/applications/abc/").status_code == 404


def test_an_unknown_sort_or_filter_on_the_list_is_ignored(as_secretariat):
    response = as_secretariat.get(reverse("grants:application-list"),
                                  {"sort": "password", "status": "nope", "country": "ZZ"})
    assert response.status_code == 200
