"""API of requests for information: every role on both endpoints, the answer through
…/submit/, the application's ``information_request`` field and the list's query budget."""

from datetime import timedelta

import pytest
from django.utils import timezone

from grants.models import ApplicationStatus, InformationRequest, Review
from grants.services.information import information_request
from tests.factories import complete_application, ngo_user
from tests.queries import queries_for_get

pytestmark = pytest.mark.django_db

ASK = "/api/v1/applications/{}/request-information/"
LIST = "/api/v1/applications/{}/information-requests/"


def in_days(n):
    return (timezone.localdate() + timedelta(days=n))


@pytest.fixture
def app(submitted, ngo):
    return submitted


@pytest.fixture
def editor(organisation):
    return ngo_user(organisation, org_role="editor", username="editor")


@pytest.fixture
def viewer(organisation):
    return ngo_user(organisation, org_role="viewer", username="viewer")


@pytest.fixture
def assigned_reviewer(reviewer, app):
    Review.objects.create(application=app, reviewer=reviewer, conflict_declared=False)
    return reviewer


@pytest.fixture
def asked(app, secretariat):
    information_request(actor=secretariat, application=app, message="Audited accounts, please.",
                        due_on=in_days(7))
    return app


def body(days=7, message="Please upload the 2025 audited financial statements."):
    return {"message": message, "due_on": in_days(days).isoformat()}


@pytest.mark.parametrize("role, code", [
    ("anonymous", 401), ("other_ngo", 404), ("reviewer", 404), ("board_member", 404),
    ("donor", 404), ("viewer", 403), ("editor", 403), ("ngo", 403),
    ("assigned_reviewer", 403), ("secretariat", 200)])
def test_who_may_request_information(client_for, app, role, code, everyone, viewer, editor):
    response = client_for(role).post(ASK.format(app.pk), body(), format="json")
    assert response.status_code == code, response.content
    app.refresh_from_db()
    asked = code == 200
    assert app.status == (ApplicationStatus.INFORMATION_REQUESTED if asked
                          else ApplicationStatus.SUBMITTED)


def test_the_answer_is_the_application_with_its_open_request(client_for, app):
    data = client_for("secretariat").post(ASK.format(app.pk), body(), format="json").json()
    assert data["status"] == "information_requested"
    assert data["information_request"] == {
        "message": "Please upload the 2025 audited financial statements.",
        "due_on": in_days(7).isoformat(), "overdue": False}


@pytest.mark.parametrize("payload, field", [
    ({"message": "x", "due_on": "2001-01-01"}, "due_on"),
    ({"message": "x", "due_on": "not a date"}, "due_on"),
    ({"due_on": "2099-01-01"}, "message"),
    ({"message": "x"}, "due_on")])
def test_bad_input_is_a_400(client_for, app, payload, field):
    response = client_for("secretariat").post(ASK.format(app.pk), payload, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_a_second_open_request_is_a_409(client_for, asked):
    response = client_for("secretariat").post(ASK.format(asked.pk), body(), format="json")
    assert response.status_code == 409


def test_a_draft_is_a_409(client_for, organisation, open_call):
    draft = complete_application(organisation=organisation, call=open_call)
    response = client_for("secretariat").post(ASK.format(draft.pk), body(), format="json")
    assert response.status_code == 409


def test_an_unknown_application_is_a_404(client_for):
    response = client_for("secretariat").post(ASK.format(999999), body(), format="json")
    assert response.status_code == 404


@pytest.mark.parametrize("role, code", [
    ("anonymous", 401), ("other_ngo", 404), ("reviewer", 404), ("assigned_reviewer", 404),
    ("board_member", 404), ("donor", 404), ("viewer", 200), ("editor", 200), ("ngo", 200),
    ("secretariat", 200)])
def test_who_may_list_the_requests(client_for, asked, role, code, everyone, viewer, editor,
                                   assigned_reviewer):
    response = client_for(role).get(LIST.format(asked.pk))
    assert response.status_code == code
    if code == 200:
        (item,) = response.json()["results"]
        assert item["message"] == "Audited accounts, please." and item["open"] is True
        staff = role == "secretariat"
        assert (item["snapshot"] is not None) is staff
        assert (item["returns_to"] == "submitted") is staff


@pytest.mark.parametrize("role, shown", [("ngo", True), ("viewer", True), ("secretariat", True),
                                         ("assigned_reviewer", False)])
def test_the_open_request_shows_on_the_application_to_its_parties_only(client_for, asked,
                                                                       role, shown, viewer,
                                                                       assigned_reviewer):
    detail = client_for(role).get(f"/api/v1/applications/{asked.pk}/")
    assert detail.status_code == 200
    assert (detail.json()["information_request"] is not None) is shown


def test_overdue_in_the_api(client_for, asked):
    InformationRequest.objects.update(due_on=in_days(-1))
    listed = client_for("ngo").get("/api/v1/applications/").json()["results"][0]
    assert listed["information_request"]["overdue"] is True
    assert client_for("ngo").get(LIST.format(asked.pk)).json()["results"][0]["overdue"] is True


@pytest.mark.parametrize("role, code", [("viewer", 403), ("other_ngo", 404), ("editor", 200)])
def test_resubmitting_through_submit(client_for, asked, role, code, viewer, editor, everyone):
    response = client_for(role).post(f"/api/v1/applications/{asked.pk}/submit/")
    assert response.status_code == code
    if code == 200:
        assert response.json()["status"] == "submitted"
        assert response.json()["reference"] == asked.reference
        assert response.json()["information_request"] is None


def test_editing_through_the_api_while_information_is_requested(client_for, asked, viewer):
    url = f"/api/v1/applications/{asked.pk}/"
    assert client_for("viewer").patch(url, {"title": "X"}, format="json").status_code == 403
    response = client_for("ngo").patch(url, {"title": "Safe homes"}, format="json")
    assert response.status_code == 200 and response.json()["title"] == "Safe homes"
    client_for("ngo").post(f"/api/v1/applications/{asked.pk}/submit/")
    (item,) = client_for("secretariat").get(LIST.format(asked.pk)).json()["results"]
    assert item["changes"][0]["field"] == "title"
    assert item["changes"][0]["before"] == asked.title
    assert item["changes"][0]["after"] == "Safe homes"


def test_the_list_of_requests_is_flat(api_as, app, secretariat, ngo):
    def add(n):
        for _ in range(n):
            InformationRequest.objects.create(
                application=app, message="Earlier", due_on=in_days(3), returns_to="submitted",
                answered_by=ngo, answered_at=timezone.now(),
                changes=[{"field": "title", "before": "A", "after": "B"}])

    for user in (secretariat, ngo):
        client = api_as(user)
        InformationRequest.objects.all().delete()
        add(3)
        small = queries_for_get(client, LIST.format(app.pk), {"page_size": 100})
        add(27)
        large = queries_for_get(client, LIST.format(app.pk), {"page_size": 100})
        assert large == small <= 12, (small, large)
