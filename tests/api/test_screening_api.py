"""/applications/{id}/screening/, /screening/run/, /screen/, sanctions matches, priorities."""

import pytest

from grants.models import ApplicationStatus
from grants.services.screening import screening_run
from tests.factories import OrganisationFactory
from tests.grants.reviews.helpers import SAMPLE_LIST, submitted_application

pytestmark = pytest.mark.django_db
ROLES_NOT_SECRETARIAT = [("anonymous", 401), ("ngo", 403), ("other_ngo", 403),
                         ("reviewer", 403), ("board_member", 403), ("donor", 403)]


@pytest.fixture
def app(organisation, open_call, sanctions_list):
    return submitted_application(organisation=organisation, call=open_call)


@pytest.fixture
def flagged(secretariat, sanctions_list, open_call):
    org = OrganisationFactory(name="Crescent Relief Foundation", country="PK")
    app = submitted_application(organisation=org, call=open_call)
    screening_run(actor=secretariat, application=app)
    return app


def post(client, url, body=None):
    return client.post(url, body or {}, format="json")


def test_the_checklist_lists_each_check_with_words(client_for, secretariat, app):
    client = client_for("secretariat")
    assert post(client, f"/api/v1/applications/{app.pk}/screening/run/").status_code == 200
    data = client.get(f"/api/v1/applications/{app.pk}/screening/").json()
    assert data["status"] == "screening"
    assert len(data["checks"]) == 8 and all(c["ok"] for c in data["checks"])
    assert data["checks"][0]["label"] and data["checks"][0]["message"]
    assert data["sanctions_list"] == "consolidated.xml"
    assert data["priorities"][0]["code"] == "armed-conflict"
    assert data["priorities"][0]["confirmed"] is None


def test_screen_eligible(client_for, secretariat, app):
    response = post(client_for("secretariat"), f"/api/v1/applications/{app.pk}/screen/",
                    {"eligible": True, "reasons": ""})
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "eligible" and response.json()["decision"] == "eligible"


def test_screen_ineligible_without_reasons_is_a_400(client_for, secretariat, app):
    response = post(client_for("secretariat"), f"/api/v1/applications/{app.pk}/screen/",
                    {"eligible": False})
    assert response.status_code == 400 and "reasons" in response.json()


def test_screen_needs_a_boolean(client_for, secretariat, app):
    response = post(client_for("secretariat"), f"/api/v1/applications/{app.pk}/screen/",
                    {"eligible": "perhaps"})
    assert response.status_code == 400 and "eligible" in response.json()


def test_screening_in_the_wrong_state_is_a_409(client_for, secretariat, draft):
    response = post(client_for("secretariat"), f"/api/v1/applications/{draft.pk}/screen/",
                    {"eligible": True})
    assert response.status_code == 409


def test_an_uncleared_possible_match_is_a_400(client_for, secretariat, flagged):
    client = client_for("secretariat")
    data = client.get(f"/api/v1/applications/{flagged.pk}/screening/").json()
    [match] = data["sanctions_matches"]
    assert (match["entry_reference"], match["score"], match["cleared"]) == (
        "QDe.901", "100.00", False)
    response = post(client, f"/api/v1/applications/{flagged.pk}/screen/",
                    {"eligible": True, "reasons": "Fine"})
    assert response.status_code == 400 and "sanctions" in response.json()


def test_clearing_a_match_then_screening_eligible(client_for, secretariat, flagged):
    client = client_for("secretariat")
    match = flagged.sanctions_matches.get()
    url = f"/api/v1/applications/{flagged.pk}/sanctions-matches/{match.pk}/clear/"
    assert post(client, url, {"reason": ""}).status_code == 400
    response = post(client, url, {"reason": "Registered in 2019 in Lahore; other trustees."})
    assert response.status_code == 200
    assert response.json()["sanctions_matches"][0]["cleared_by"] == "sec"
    assert post(client, url, {"reason": "again"}).status_code == 409
    response = post(client, f"/api/v1/applications/{flagged.pk}/screen/", {"eligible": True})
    assert response.status_code == 200 and response.json()["status"] == "eligible"


def test_clearing_another_applications_match_is_a_404(client_for, secretariat, flagged, app):
    match = flagged.sanctions_matches.get()
    url = f"/api/v1/applications/{app.pk}/sanctions-matches/{match.pk}/clear/"
    assert post(client_for("secretariat"), url, {"reason": "x"}).status_code == 404


def test_confirming_priorities(client_for, secretariat, app):
    client = client_for("secretariat")
    url = f"/api/v1/applications/{app.pk}/confirm-priorities/"
    response = post(client, url, {"confirmed": ["armed-conflict"]})
    assert response.status_code == 200
    assert response.json()["priorities"][0]["confirmed"] is True
    assert post(client, url, {"confirmed": ["climate"]}).status_code == 400
    assert post(client, url, {"confirmed": "armed-conflict"}).status_code == 400


def test_the_application_detail_shows_screening_to_the_secretariat_only(
        client_for, secretariat, ngo, app):
    post(client_for("secretariat"), f"/api/v1/applications/{app.pk}/screen/",
         {"eligible": True})
    data = client_for("secretariat").get(f"/api/v1/applications/{app.pk}/").json()
    assert data["screening"]["decision"] == "eligible"
    assert data["reviews_summary"] == {"assigned": 0, "conflict": 0, "draft": 0, "submitted": 0}
    mine = client_for("ngo").get(f"/api/v1/applications/{app.pk}/").json()
    assert mine["screening"] is None and mine["reviews_summary"] is None


@pytest.mark.parametrize("role,expected", ROLES_NOT_SECRETARIAT)
@pytest.mark.parametrize("method,path,body", [
    ("get", "screening/", None), ("post", "screening/run/", {}),
    ("post", "screen/", {"eligible": True}), ("post", "confirm-priorities/", {"confirmed": []}),
])
def test_only_the_secretariat_screens(client_for, everyone, app, role, expected, method, path,
                                      body):
    client = client_for(role)
    url = f"/api/v1/applications/{app.pk}/{path}"
    response = client.get(url) if method == "get" else post(client, url, body)
    assert response.status_code == expected
    app.refresh_from_db()
    assert app.status == ApplicationStatus.SUBMITTED


@pytest.mark.parametrize("role,expected", ROLES_NOT_SECRETARIAT)
def test_only_the_secretariat_clears_matches(client_for, everyone, flagged, role, expected):
    match = flagged.sanctions_matches.get()
    url = f"/api/v1/applications/{flagged.pk}/sanctions-matches/{match.pk}/clear/"
    assert post(client_for(role), url, {"reason": "x"}).status_code == expected


def test_an_unknown_application_is_a_404(client_for, secretariat):
    assert client_for("secretariat").get("/api/v1/applications/999999/screening/"
                                         ).status_code == 404


# Sanctions lists --------------------------------------------------------------------------


def upload(client, data: bytes, name="consolidated.xml"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/api/v1/sanctions-lists/",
                       {"file": SimpleUploadedFile(name, data, content_type="text/xml")},
                       format="multipart")


def test_the_secretariat_uploads_a_list(client_for, secretariat):
    client = client_for("secretariat")
    response = upload(client, SAMPLE_LIST.read_bytes())
    assert response.status_code == 201
    assert (response.json()["individuals"], response.json()["entities"]) == (2, 2)
    assert client.get("/api/v1/sanctions-lists/").json()["count"] == 1


def test_a_bad_list_is_a_400(client_for, secretariat):
    response = upload(client_for("secretariat"), b"<?xml version='1.0'?><x/>")
    assert response.status_code == 400 and "file" in response.json()


@pytest.mark.parametrize("role,expected", ROLES_NOT_SECRETARIAT)
def test_only_the_secretariat_manages_sanctions_lists(client_for, everyone, role, expected):
    client = client_for(role)
    assert client.get("/api/v1/sanctions-lists/").status_code == expected
    assert upload(client, SAMPLE_LIST.read_bytes()).status_code == expected
