"""Pages of amendments: requesting each kind, deciding, the versions, who sees what, and
the list's query budget."""

from datetime import timedelta

import pytest

from grants.models import Amendment, AmendmentKind, AmendmentStatus
from grants.services.amendments import amendment_approve, amendment_request
from tests.factories import ngo_user
from tests.grants.amendments.conftest import lines, with_budget
from tests.grants.implementation.helpers import active_grant
from tests.pdf_text import pdf_text
from tests.queries import queries_for_get

from .conftest import CONFIRMED

pytestmark = pytest.mark.django_db


@pytest.fixture
def grant(organisation, ngo, secretariat):
    return with_budget(active_grant(organisation, ngo, secretariat))


@pytest.fixture
def people(ngo, other_ngo, secretariat, board_member, reviewer, donor, organisation):
    return {"admin": ngo, "editor": ngo_user(organisation, org_role="editor", username="ed"),
            "viewer": ngo_user(organisation, org_role="viewer", username="vw"),
            "other_ngo": other_ngo, "secretariat": secretariat, "board": board_member,
            "reviewer": reviewer, "donor": donor}


def _extension(grant, days=90):
    return {"no_cost_extension-kind": "no_cost_extension",
            "no_cost_extension-new_end_date": (grant.end_date + timedelta(days=days))
            .isoformat(), "no_cost_extension-reason": "Office flooded."}


SEE = {"admin": 200, "editor": 200, "viewer": 200, "other_ngo": 404, "secretariat": 200,
       "board": 404, "reviewer": 404, "donor": 404}


@pytest.mark.parametrize("who", SEE)
def test_who_sees_the_amendments_page(login, people, grant, who):
    response = login(people[who]).get(f"/grants/{grant.pk}/amendments/")
    assert response.status_code == SEE[who]
    if SEE[who] == 200:
        body = response.content.decode()
        asks = "Send the request" in body
        assert asks == (who in ("admin", "editor", "secretariat"))


def test_anonymous_visitors_are_sent_to_sign_in(client, grant):
    response = client.get(f"/grants/{grant.pk}/amendments/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_grant_page_shows_amendments_to_members_and_the_secretariat_only(
        login, people, grant, ngo):
    amendment_request(actor=ngo, grant=grant, kind="other", reason="A partner",
                      details="A second shelter in Kano.")
    assert "A second shelter in Kano." in login(people["viewer"]).get(
        f"/grants/{grant.pk}/implementation/").content.decode()
    board = login(people["board"]).get(f"/grants/{grant.pk}/implementation/")
    assert board.status_code == 200 and "A second shelter in Kano." not in board.content.decode()


def test_a_viewer_cannot_post_a_request(login, people, grant):
    response = login(people["viewer"]).post(f"/grants/{grant.pk}/amendments/", _extension(grant))
    assert response.status_code == 400
    assert not Amendment.objects.exists()


def test_the_extension_journey_on_the_pages(login, grant, ngo, secretariat):
    client = login(ngo)
    new_end = grant.end_date + timedelta(days=90)
    response = client.post(f"/grants/{grant.pk}/amendments/", _extension(grant))
    assert response.status_code == 302, response.content[:2000]
    amendment = Amendment.objects.get()
    client = login(secretariat)
    page = client.get(f"/grants/{grant.pk}/amendments/").content.decode()
    assert "Approve" in page and "Office flooded." in page
    refused = client.post(f"/grants/{grant.pk}/amendments/{amendment.pk}/approve/", {})
    assert refused.status_code in (400, 403)  # not confirmed
    assert client.post(f"/grants/{grant.pk}/amendments/{amendment.pk}/approve/",
                       CONFIRMED).status_code == 302
    grant.refresh_from_db()
    assert grant.end_date == new_end
    client = login(ngo)
    page = client.get(f"/grants/{grant.pk}/implementation/").content.decode()
    assert "Version 2" in page
    pdf = client.get(f"/grants/{grant.pk}/agreement/v2.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert "No-cost extension" in pdf_text(pdf.content)


def test_a_budget_revision_with_a_wrong_total_shows_the_difference(login, grant, ngo):
    response = login(ngo).post(f"/grants/{grant.pk}/amendments/", {
        "budget_revision-kind": "budget_revision",
        "budget_revision-line_0": "30000.00", "budget_revision-line_1": "25000.00",
        "budget_revision-reason": "More staff"})
    assert response.status_code == 400
    assert "5000.00" in response.content.decode()
    assert not Amendment.objects.exists()


def test_a_small_reallocation_on_the_page_is_recorded(login, grant, ngo):
    response = login(ngo).post(f"/grants/{grant.pk}/amendments/", {
        "budget_revision-kind": "budget_revision",
        "budget_revision-line_0": "29000.00", "budget_revision-line_1": "21000.00",
        "budget_revision-reason": "Salaries"})
    assert response.status_code == 302
    assert Amendment.objects.get().recorded_only


def test_declining_on_the_page_needs_a_reason(login, grant, ngo, secretariat):
    amendment = amendment_request(actor=ngo, grant=grant, kind="other", reason="Partner",
                                  details="Second shelter.")
    client = login(secretariat)
    url = f"/grants/{grant.pk}/amendments/{amendment.pk}/decline/"
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 400
    body = response.content.decode()
    # the error sits on this amendment's decline form, tied to its reason box
    error = f'<ul class="errorlist" id="decline-reason-{amendment.pk}_error"><li>Say why'
    assert error in body
    assert f'aria-describedby="decline-reason-{amendment.pk}_error"' in body
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.REQUESTED
    client.post(url, {"reason": "Not documented."})
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.DECLINED


def test_a_refused_decline_keeps_the_typed_reason(login, grant, ngo, secretariat):
    amendment = amendment_request(actor=ngo, grant=grant, kind="other", reason="Partner",
                                  details="Second shelter.")
    typed = "Not documented. " * 260  # over the 4,000 characters allowed
    response = login(secretariat).post(
        f"/grants/{grant.pk}/amendments/{amendment.pk}/decline/", {"reason": typed})
    assert response.status_code == 400
    body = response.content.decode()
    assert f'id="decline-reason-{amendment.pk}_error"' in body
    assert f'required aria-invalid="true" aria-describedby="decline-reason-{amendment.pk}' \
           f'_error" autofocus>{typed.strip()}' in body or typed in body
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.REQUESTED


def test_declining_a_decided_amendment_says_so(login, grant, ngo, secretariat):
    amendment = amendment_request(actor=ngo, grant=grant, kind="other", reason="Partner",
                                  details="Second shelter.")
    amendment_approve(actor=secretariat, amendment=amendment)
    response = login(secretariat).post(
        f"/grants/{grant.pk}/amendments/{amendment.pk}/decline/", {"reason": "Late."},
        follow=True)
    assert "This amendment is already approved." in response.content.decode()
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.APPROVED


@pytest.mark.parametrize("who", ["admin", "viewer", "board", "other_ngo"])
def test_only_the_secretariat_reaches_the_decisions(login, people, grant, ngo, who):
    amendment = amendment_request(actor=ngo, grant=grant, kind="other", reason="Partner",
                                  details="Second shelter.")
    response = login(people[who]).post(
        f"/grants/{grant.pk}/amendments/{amendment.pk}/approve/", CONFIRMED)
    assert response.status_code in (403, 404)
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.REQUESTED


VERSION = {"admin": 200, "viewer": 200, "secretariat": 200, "other_ngo": 404, "board": 404,
           "reviewer": 404, "donor": 404}


@pytest.mark.parametrize("who", VERSION)
def test_who_downloads_a_version(login, people, grant, ngo, secretariat, who):
    amendment_approve(actor=secretariat, amendment=amendment_request(
        actor=ngo, grant=grant, kind="other", reason="Partner", details="Second shelter."))
    response = login(people[who]).get(f"/grants/{grant.pk}/agreement/v1.pdf")
    assert response.status_code == VERSION[who]


def test_the_amendments_page_is_flat(login, grant, ngo, secretariat):
    client = login(secretariat)
    url = f"/grants/{grant.pk}/amendments/"

    def add(n):
        Amendment.objects.bulk_create([
            Amendment(grant=grant, kind=AmendmentKind.BUDGET_REVISION, reason="r",
                      status=AmendmentStatus.DECLINED, requested_by=ngo, decided_by=secretariat,
                      budget_lines=lines(direct="25000.00", personnel="25000.00"),
                      previous_lines=lines()) for _ in range(n)])

    add(3)
    small = queries_for_get(client, url)
    add(17)
    assert queries_for_get(client, url) == small
    assert small <= 30, small
