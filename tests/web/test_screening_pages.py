"""The secretariat's screening journey in the web pages, and who may open them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from grants.models import ApplicationStatus, SanctionsList
from tests.factories import OrganisationFactory
from tests.grants.reviews.helpers import SAMPLE_LIST, submitted_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def app(organisation, open_call, sanctions_list):
    return submitted_application(organisation=organisation, call=open_call)


def test_the_queue_lists_new_submissions_and_runs_their_checks(as_secretariat, app):
    page = as_secretariat.get(reverse("grants:screening-queue"))
    assert page.status_code == 200 and app.reference in page.content.decode()
    assert "Not run" in page.content.decode()
    response = as_secretariat.post(reverse("grants:screening-run-all"), follow=True)
    assert "Checks run on 1 new application" in response.content.decode()
    assert "8 / 8" in response.content.decode()


def test_the_checklist_page_shows_each_check_and_records_eligibility(as_secretariat, app):
    url = reverse("grants:screening-detail", args=[app.pk])
    as_secretariat.post(reverse("grants:screening-run", args=[app.pk]))
    html = as_secretariat.get(url).content.decode()
    for words in ("Amount within the call", "Required documents present",
                  "Request at most 3", "No possible match."):
        assert words in html
    response = as_secretariat.post(reverse("grants:screening-decide", args=[app.pk]),
                                   {"decision": "eligible", "reasons": ""}, follow=True)
    assert "is eligible" in response.content.decode()
    app.refresh_from_db()
    assert app.status == ApplicationStatus.ELIGIBLE


def test_ineligible_without_reasons_shows_the_error_on_the_form(as_secretariat, app):
    response = as_secretariat.post(reverse("grants:screening-decide", args=[app.pk]),
                                   {"decision": "ineligible", "reasons": ""})
    assert response.status_code == 400
    assert "Give the reasons why" in response.content.decode()


def test_a_possible_match_is_shown_with_its_score_and_cleared_with_a_reason(
        as_secretariat, open_call, sanctions_list):
    org = OrganisationFactory(name="Sahel Transit Services Ltd")
    app = submitted_application(organisation=org, call=open_call)
    as_secretariat.post(reverse("grants:screening-run", args=[app.pk]))
    html = as_secretariat.get(reverse("grants:screening-detail", args=[app.pk])).content.decode()
    assert "SAHEL TRANSIT SERVICES" in html and "LYe.901" in html and "<strong>100</strong>" in html
    blocked = as_secretariat.post(reverse("grants:screening-decide", args=[app.pk]),
                                  {"decision": "eligible", "reasons": "ok"})
    assert blocked.status_code == 400 and "must be cleared" in blocked.content.decode()
    match = app.sanctions_matches.get()
    clear_url = reverse("grants:sanctions-match-clear", args=[app.pk, match.pk])
    assert as_secretariat.post(clear_url, {f"m{match.pk}-reason": ""}).status_code == 400
    response = as_secretariat.post(clear_url, {f"m{match.pk}-reason": "A Niamey company, "
                                               "registered 2020."}, follow=True)
    assert "Cleared by" in response.content.decode()


def test_confirming_priorities_on_the_checklist_page(as_secretariat, app):
    response = as_secretariat.post(reverse("grants:priorities-confirm", args=[app.pk]),
                                   {"confirmed": ["armed-conflict"]}, follow=True)
    assert "confirmed priorities are saved" in response.content.decode()
    assert app.priority_claims.get().confirmed is True


def test_uploading_the_sanctions_list(as_secretariat):
    upload = SimpleUploadedFile("consolidated.xml", SAMPLE_LIST.read_bytes(), "text/xml")
    response = as_secretariat.post(reverse("grants:sanctions-lists"), {"file": upload},
                                   follow=True)
    assert "2 individuals and 2 entities" in response.content.decode()
    assert SanctionsList.objects.count() == 1


def test_a_bad_upload_is_explained(as_secretariat):
    upload = SimpleUploadedFile("list.xml", b"<x/>", "text/xml")
    response = as_secretariat.post(reverse("grants:sanctions-lists"), {"file": upload})
    assert response.status_code == 400 and "CONSOLIDATED_LIST" in response.content.decode()


@pytest.mark.parametrize("role", ["ngo", "reviewer", "board_member", "donor"])
def test_screening_pages_are_for_the_secretariat(login, request, role, app):
    client = login(request.getfixturevalue(role))
    for url in (reverse("grants:screening-queue"),
                reverse("grants:screening-detail", args=[app.pk]),
                reverse("grants:sanctions-lists")):
        assert client.get(url).status_code == 403
    assert client.post(reverse("grants:screening-decide", args=[app.pk]),
                       {"decision": "eligible"}).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, app):
    response = client.get(reverse("grants:screening-queue"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_secretariat_sees_screening_and_reviews_on_the_application_page(as_secretariat,
                                                                            app):
    html = as_secretariat.get(reverse("grants:application-detail", args=[app.pk])
                              ).content.decode()
    assert "Screening and review" in html and "Checks not run yet" in html
    assert 'href="/manage/screening/"' in html  # the nav link


def test_an_application_awaiting_information_leaves_the_queue_but_not_sight(
        as_secretariat, secretariat, app):
    from datetime import timedelta

    from django.utils import timezone

    from grants.services.information import information_request

    information_request(actor=secretariat, application=app, message="The 2025 audit, please.",
                        due_on=timezone.localdate() + timedelta(days=7))
    queue = as_secretariat.get(reverse("grants:screening-queue")).content.decode()
    assert app.reference not in queue
    waiting = as_secretariat.get(reverse("grants:screening-queue"),
                                 {"status": "information_requested"}).content.decode()
    assert app.reference in waiting
    assert "Waiting for the applicant" in waiting and 'data-count="1"' in waiting
