"""API of amendments and agreement versions: /api/v1/grants/{id}/amendments/ and
/api/v1/grants/{id}/agreement-versions/, for every role."""

from datetime import timedelta

import pytest

from grants.models import Amendment, AmendmentKind, AmendmentStatus
from grants.services.amendments import amendment_approve, amendment_request
from tests.factories import ngo_user
from tests.grants.amendments.conftest import lines, with_budget
from tests.grants.implementation.helpers import active_grant
from tests.pdf_text import pdf_text
from tests.queries import queries_for_get

pytestmark = pytest.mark.django_db


@pytest.fixture
def grant(organisation, ngo, secretariat):
    return with_budget(active_grant(organisation, ngo, secretariat))


@pytest.fixture
def people(ngo, other_ngo, secretariat, board_member, reviewer, donor, organisation):
    return {"admin": ngo, "editor": ngo_user(organisation, org_role="editor", username="ed"),
            "viewer": ngo_user(organisation, org_role="viewer", username="vw"),
            "other_ngo": other_ngo, "secretariat": secretariat, "board": board_member,
            "reviewer": reviewer, "donor": donor, "anonymous": None}


def _extension(grant, days=60):
    return {"kind": "no_cost_extension", "reason": "The road was closed by fighting.",
            "new_end_date": (grant.end_date + timedelta(days=days)).isoformat()}


READ = {"admin": 200, "editor": 200, "viewer": 200, "other_ngo": 404, "secretariat": 200,
        "board": 404, "reviewer": 404, "donor": 404, "anonymous": 401}


@pytest.mark.parametrize("who", READ)
@pytest.mark.parametrize("what", ["amendments", "agreement-versions"])
def test_reading_amendments_and_versions(api_as, people, grant, who, what):
    response = api_as(people[who]).get(f"/api/v1/grants/{grant.pk}/{what}/")
    assert response.status_code == READ[who]


REQUEST = {"admin": 201, "editor": 201, "viewer": 403, "other_ngo": 404, "secretariat": 201,
           "board": 404, "reviewer": 404, "donor": 404, "anonymous": 401}


@pytest.mark.parametrize("who", REQUEST)
def test_requesting_an_amendment(api_as, people, grant, who):
    response = api_as(people[who]).post(f"/api/v1/grants/{grant.pk}/amendments/",
                                        _extension(grant), format="json")
    assert response.status_code == REQUEST[who], response.content
    if response.status_code == 201:
        body = response.json()
        assert body["status"] == "requested" and body["kind"] == "no_cost_extension"
        assert set(body) >= {"id", "kind", "reason", "new_end_date", "budget_lines", "status",
                             "decided_by", "decided_at", "details", "recorded_only",
                             "differences"}


DECIDE = {"admin": 403, "editor": 403, "viewer": 403, "other_ngo": 404, "secretariat": 200,
          "board": 404, "reviewer": 404, "donor": 404, "anonymous": 401}


@pytest.mark.parametrize("who", DECIDE)
@pytest.mark.parametrize("verdict", ["approve", "decline"])
def test_only_the_secretariat_decides(api_as, people, grant, ngo, who, verdict):
    amendment = amendment_request(actor=ngo, grant=grant, kind="other", reason="A partner",
                                  details="Work with a second shelter.")
    response = api_as(people[who]).post(
        f"/api/v1/grants/{grant.pk}/amendments/{amendment.pk}/{verdict}/",
        {"reason": "Agreed with the partner's references."}, format="json")
    assert response.status_code == DECIDE[who], response.content
    amendment.refresh_from_db()
    expected = {"approve": "approved", "decline": "declined"}[verdict]
    assert (amendment.status == expected) == (DECIDE[who] == 200)


def test_an_approved_extension_answers_the_new_dates(api_as, grant, ngo, secretariat):
    created = api_as(ngo).post(f"/api/v1/grants/{grant.pk}/amendments/", _extension(grant, 90),
                               format="json").json()
    client = api_as(secretariat)
    answer = client.post(f"/api/v1/grants/{grant.pk}/amendments/{created['id']}/approve/",
                         {}, format="json")
    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == "approved" and body["decided_by"] == secretariat.pk
    assert body["agreement_version"] == 2
    grant.refresh_from_db()
    assert grant.end_date.isoformat() == created["new_end_date"]
    again = client.post(f"/api/v1/grants/{grant.pk}/amendments/{created['id']}/approve/",
                        {}, format="json")
    assert again.status_code == 409


def test_declining_without_a_reason_is_a_400(api_as, grant, ngo, secretariat):
    amendment = amendment_request(actor=ngo, grant=grant, kind="other", reason="A partner",
                                  details="Second shelter.")
    response = api_as(secretariat).post(
        f"/api/v1/grants/{grant.pk}/amendments/{amendment.pk}/decline/", {}, format="json")
    assert response.status_code == 400 and "reason" in response.json()


def test_a_budget_revision_changing_the_total_is_a_400_and_its_difference_shown(
        api_as, grant, ngo):
    client = api_as(ngo)
    url = f"/api/v1/grants/{grant.pk}/amendments/"
    wrong = client.post(url, {"kind": "budget_revision", "reason": "Staff",
                              "budget_lines": lines(personnel="25000.00")}, format="json")
    assert wrong.status_code == 400 and "budget_lines" in wrong.json()
    right = client.post(url, {"kind": "budget_revision", "reason": "Rent",
                              "budget_lines": lines(direct="25000.00", personnel="25000.00")},
                        format="json")
    assert right.status_code == 201
    body = right.json()
    assert not body["recorded_only"] and body["status"] == "requested"
    diff = {d["category"]: d for d in body["differences"]}
    assert diff["personnel"]["difference_usd"] == "5000.00"
    assert diff["personnel"]["above_threshold"] is True


def test_a_terminated_grant_is_a_409(api_as, grant, ngo):
    type(grant).objects.filter(pk=grant.pk).update(status="terminated")
    response = api_as(ngo).post(f"/api/v1/grants/{grant.pk}/amendments/", _extension(grant),
                                format="json")
    assert response.status_code == 409


DOWNLOAD = {"admin": 200, "editor": 200, "viewer": 200, "other_ngo": 404, "secretariat": 200,
            "board": 404, "reviewer": 404, "donor": 404, "anonymous": 401}


@pytest.mark.parametrize("who", DOWNLOAD)
def test_downloading_a_version(api_as, people, grant, ngo, secretariat, who):
    amendment_approve(actor=secretariat, amendment=amendment_request(
        actor=ngo, grant=grant, kind="other", reason="A partner", details="Second shelter."))
    client = api_as(people[who])
    response = client.get(f"/api/v1/grants/{grant.pk}/agreement-versions/2/pdf/")
    assert response.status_code == DOWNLOAD[who]
    if response.status_code == 200:
        assert response["Content-Type"] == "application/pdf"
        assert "Second shelter." in pdf_text(response.content)
        listed = client.get(f"/api/v1/grants/{grant.pk}/agreement-versions/").json()
        assert [v["number"] for v in listed["results"]] == [1, 2]
    assert client.get(f"/api/v1/grants/{grant.pk}/agreement-versions/9/pdf/"
                      ).status_code in (404, 401)


def test_the_amendment_list_is_flat(api_as, grant, ngo, secretariat):
    client = api_as(secretariat)
    url = f"/api/v1/grants/{grant.pk}/amendments/?page_size=100"

    def add(n):
        Amendment.objects.bulk_create([
            Amendment(grant=grant, kind=AmendmentKind.BUDGET_REVISION, reason="r",
                      status=AmendmentStatus.DECLINED, requested_by=ngo, decided_by=secretariat,
                      budget_lines=lines(direct="25000.00", personnel="25000.00"),
                      previous_lines=lines())
            for _ in range(n)])

    add(3)
    small = queries_for_get(client, url)
    add(27)
    large = queries_for_get(client, url)
    assert large == small and small <= 10, (small, large)
