"""The NGO's journey: start a draft, save part of it, autosave, attach, submit, see the receipt."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from grants.models import Application, ApplicationStatus
from tests.factories import PDF_BYTES, ApplicationFactory, complete_application

from .conftest import CONFIRMED, complete_draft_post, draft_post

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _pdf(name="certificate.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def test_the_full_journey_from_apply_to_receipt(as_ngo, open_call,
                                                django_capture_on_commit_callbacks):
    response = as_ngo.post(reverse("grants:call-apply", args=[open_call.pk]))
    app = Application.objects.get()
    assert response.url == reverse("grants:application-edit", args=[app.pk])
    assert as_ngo.get(response.url).status_code == 200

    as_ngo.post(reverse("grants:application-edit", args=[app.pk]),
                draft_post(title="Safe homes for survivors"))
    app.refresh_from_db()
    assert app.title == "Safe homes for survivors"

    response = as_ngo.post(reverse("grants:application-autosave", args=[app.pk]),
                           complete_draft_post(), **HTMX)
    assert response.status_code == 200
    assert "Draft saved at" in response.content.decode()
    assert "Attach the required document" in response.content.decode()

    response = as_ngo.post(reverse("grants:attachment-upload", args=[app.pk]),
                           {"kind": "registration_certificate", "file": _pdf()})
    assert response.status_code == 302
    attachment = app.attachments.get()

    download = as_ngo.get(reverse("grants:attachment-download", args=[app.pk, attachment.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content) == PDF_BYTES

    with django_capture_on_commit_callbacks(execute=True):
        response = as_ngo.post(reverse("grants:application-submit", args=[app.pk]), CONFIRMED)
    app.refresh_from_db()
    assert app.status == ApplicationStatus.SUBMITTED
    assert response.url == reverse("grants:application-detail", args=[app.pk])
    body = as_ngo.get(response.url).content.decode()
    assert "Submission receipt" in body and app.reference in body
    assert app.reference == f"VTF{open_call.number}-0001"


def test_apply_goes_to_the_existing_draft_instead_of_starting_another(as_ngo, open_call,
                                                                      organisation):
    draft = ApplicationFactory(call=open_call, organisation=organisation)
    response = as_ngo.post(reverse("grants:call-apply", args=[open_call.pk]))
    assert response.url == reverse("grants:application-edit", args=[draft.pk])
    assert Application.objects.count() == 1


def test_the_edit_page_shows_every_section_of_the_draft(as_ngo, open_call, organisation):
    app = complete_application(call=open_call, organisation=organisation)
    body = as_ngo.get(reverse("grants:application-edit", args=[app.pk])).content.decode()
    for text in ("Project title", "Countries of implementation", "Amount requested",
                 "Women", "Girls", "Men", "Boys", "Shelter", "Victims of armed conflict",
                 "Social workers", "certificate.pdf", "What is still missing",
                 'hx-post="/applications/'):
        assert text in body, text


def test_a_partial_save_keeps_what_was_saved_before(as_ngo, open_call, organisation):
    app = ApplicationFactory(call=open_call, organisation=organisation, title="Kept title",
                             summary="Kept summary")
    as_ngo.post(reverse("grants:application-autosave", args=[app.pk]),
                draft_post(title="Kept title", summary="New summary"), **HTMX)
    app.refresh_from_db()
    assert (app.title, app.summary) == ("Kept title", "New summary")


def test_autosave_saves_valid_fields_and_reports_the_invalid_ones(as_ngo, open_call,
                                                                  organisation):
    app = ApplicationFactory(call=open_call, organisation=organisation, requested_usd=None)
    response = as_ngo.post(reverse("grants:application-autosave", args=[app.pk]),
                           draft_post(title="New title", requested_usd="75000.00"), **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "These fields were not saved" in body and "This call funds between" in body
    assert 'href="#id_requested_usd"' in body
    app.refresh_from_db()
    assert app.title == "New title" and app.requested_usd is None


def test_autosave_updates_the_missing_items_checklist_out_of_band(as_ngo, open_call,
                                                                  organisation):
    app = ApplicationFactory(call=open_call, organisation=organisation)
    response = as_ngo.post(reverse("grants:application-autosave", args=[app.pk]),
                           draft_post(title=""), **HTMX)
    body = response.content.decode()
    assert 'id="missing-items"' in body and 'hx-swap-oob="true"' in body
    assert "Give the project a title." in body


def test_budget_lines_are_saved_and_removed(as_ngo, open_call, organisation):
    app = ApplicationFactory(call=open_call, organisation=organisation)
    url = reverse("grants:application-edit", args=[app.pk])
    as_ngo.post(url, draft_post(lines=[("personnel", "Staff", "1000.50"),
                                       ("travel", "Buses", "200.00")]))
    assert [str(line.amount) for line in app.budget_lines.all()] == ["1000.50", "200.00"]
    data = draft_post(lines=[("personnel", "Staff", "1000.50"), ("travel", "Buses", "200.00")])
    data["lines-1-DELETE"] = "on"
    as_ngo.post(url, data)
    assert [line.description for line in app.budget_lines.all()] == ["Staff"]


def test_an_extra_budget_row_is_served_with_the_new_form_count(as_ngo, open_call, organisation):
    app = ApplicationFactory(call=open_call, organisation=organisation)
    response = as_ngo.get(reverse("grants:application-budget-line", args=[app.pk]),
                          {"lines-TOTAL_FORMS": "3"}, **HTMX)
    body = response.content.decode()
    assert 'name="lines-3-amount"' in body
    assert 'name="lines-TOTAL_FORMS" value="4"' in body and 'hx-swap-oob="true"' in body


def test_priority_claims_need_a_tick_and_keep_their_justification(as_ngo, open_call,
                                                                  organisation):
    app = ApplicationFactory(call=open_call, organisation=organisation)
    as_ngo.post(reverse("grants:application-edit", args=[app.pk]), draft_post(
        priorities={"women-girls": "Most of our clients are girls."}))
    claims = {c.priority.code: c.justification for c in app.priority_claims.all()}
    assert claims == {"women-girls": "Most of our clients are girls."}


def test_uploading_with_htmx_returns_the_attachments_partial(as_ngo, open_call, organisation):
    app = ApplicationFactory(call=open_call, organisation=organisation)
    response = as_ngo.post(reverse("grants:attachment-upload", args=[app.pk]),
                           {"kind": "work_plan", "file": _pdf("plan.pdf")}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="attachments"' in body and "plan.pdf" in body and "<html" not in body


def test_an_attachment_can_be_removed_from_a_draft(as_ngo, open_call, organisation):
    app = complete_application(call=open_call, organisation=organisation)
    attachment = app.attachments.get()
    response = as_ngo.post(reverse("grants:attachment-delete", args=[app.pk, attachment.pk]))
    assert response.status_code == 302
    assert not app.attachments.exists()


def test_submitting_an_incomplete_draft_lists_every_missing_item(as_ngo, open_call,
                                                                organisation):
    app = ApplicationFactory(call=open_call, organisation=organisation, title="", summary="")
    response = as_ngo.post(reverse("grants:application-submit", args=[app.pk]), CONFIRMED)
    body = response.content.decode()
    assert response.status_code == 400
    for text in ("The application was not submitted", "Give the project a title.",
                 "Write a summary of the project.", "Add the budget lines.",
                 "Attach the required document"):
        assert text in body, text
    app.refresh_from_db()
    assert app.status == ApplicationStatus.DRAFT


def test_a_submitted_application_is_read_only_for_the_ngo(as_ngo, open_call, organisation):
    app = ApplicationFactory(call=open_call, organisation=organisation, title="Frozen",
                             status=ApplicationStatus.SUBMITTED, reference="VTF1-0001")
    edit = as_ngo.get(reverse("grants:application-edit", args=[app.pk]))
    assert edit.url == reverse("grants:application-detail", args=[app.pk])
    response = as_ngo.post(reverse("grants:application-autosave", args=[app.pk]),
                           draft_post(title="Changed"), **HTMX)
    assert "can no longer be edited" in response.content.decode()
    app.refresh_from_db()
    assert app.title == "Frozen"


def test_withdrawing_asks_for_a_reason_and_confirmation(as_ngo, open_call, organisation):
    app = complete_application(call=open_call, organisation=organisation,
                               status=ApplicationStatus.SUBMITTED, reference="VTF1-0002")
    url = reverse("grants:application-withdraw", args=[app.pk])
    assert "Yes, withdraw it" in as_ngo.get(url).content.decode()
    assert as_ngo.post(url, {"reason": ""}).status_code == 400
    response = as_ngo.post(url, {"reason": "Funding found elsewhere."})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == ApplicationStatus.WITHDRAWN


def test_my_applications_lists_status_reference_call_deadline_and_amount(as_ngo, open_call,
                                                                        organisation):
    ApplicationFactory(call=open_call, organisation=organisation, title="Shelter in Kano",
                       status=ApplicationStatus.SUBMITTED, reference="VTF9-0007")
    body = as_ngo.get(reverse("grants:my-applications")).content.decode()
    for text in ("Shelter in Kano", "VTF9-0007", "Submitted", f"No. {open_call.number}",
                 "USD 50,000.00", "UTC"):
        assert text in body, text


def test_the_secretariat_filters_searches_sorts_and_pages_applications(as_secretariat,
                                                                       open_call):
    ApplicationFactory(call=open_call, title="Alpha shelter", status="submitted",
                       reference="VTF1-0001", countries=["KE"])
    ApplicationFactory(call=open_call, title="Beta legal aid", status="submitted",
                       reference="VTF1-0002")
    url = reverse("grants:application-list")
    body = as_secretariat.get(url, {"country": "KE"}).content.decode()
    assert "Alpha shelter" in body and "Beta legal aid" not in body
    body = as_secretariat.get(url, {"q": "VTF1-0002"}).content.decode()
    assert "Beta legal aid" in body and "Alpha shelter" not in body
    body = as_secretariat.get(url, {"sort": "-title"}).content.decode()
    assert body.index("Beta legal aid") < body.index("Alpha shelter")
    assert 'aria-sort="descending"' in body
    body = as_secretariat.get(url, {"sort": "title", "page": "99",
                                    "call": "not-a-number"}).content.decode()
    assert body.index("Alpha shelter") < body.index("Beta legal aid")


def test_the_secretariat_filters_applications_by_priority(as_secretariat, open_call):
    claimed = complete_application(call=open_call, title="Claims armed conflict")
    ApplicationFactory(call=open_call, title="Claims nothing")
    body = as_secretariat.get(reverse("grants:application-list"),
                              {"priority": "armed-conflict"}).content.decode()
    assert claimed.title in body and "Claims nothing" not in body
