"""API of deadline extensions: extend one application, list and extend on a call, revoke."""

from datetime import timedelta

import pytest
from django.utils import timezone

from grants.models import ApplicationStatus, CallStatus, DeadlineExtension
from grants.services.extensions import deadline_extend
from tests.api.test_list_query_counts import assert_flat
from tests.factories import CallFactory, OrganisationFactory, complete_application, ngo_user

pytestmark = pytest.mark.django_db
REASON = "Office flooded in Maiduguri; documents lost."
NOT_SECRETARIAT = [("anonymous", 401), ("ngo", 403), ("org_editor", 403), ("org_viewer", 403),
                   ("other_ngo", 403), ("reviewer", 403), ("board_member", 403), ("donor", 403)]


@pytest.fixture
def org_editor(organisation):
    return ngo_user(organisation, org_role="editor", username="editor")


@pytest.fixture
def org_viewer(organisation):
    return ngo_user(organisation, org_role="viewer", username="viewer")


@pytest.fixture
def closed_call(db):
    now = timezone.now()
    return CallFactory(opens_at=now - timedelta(days=40), closes_at=now - timedelta(days=1),
                       status=CallStatus.CLOSED)


@pytest.fixture
def late_draft(organisation, closed_call):
    return complete_application(organisation=organisation, call=closed_call)


def body(days=3, **changes):
    return {"until": (timezone.now() + timedelta(days=days)).isoformat(),
            "reason": REASON} | changes


def extend_url(app):
    return f"/api/v1/applications/{app.pk}/extend-deadline/"


def test_the_secretariat_extends_an_application(client_for, secretariat, late_draft):
    response = client_for("secretariat").post(extend_url(late_draft), body(), format="json")
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["reason"] == REASON and data["application"] == late_draft.pk
    assert data["organisation"] == late_draft.organisation_id
    assert data["whole_organisation"] is False and data["active"] is True
    assert DeadlineExtension.objects.get().until.isoformat()[:16] == data["until"][:16]


def test_the_ngo_then_submits_through_the_api(client_for, secretariat, ngo, late_draft):
    submit = f"/api/v1/applications/{late_draft.pk}/submit/"
    assert client_for("ngo").post(submit).status_code == 409
    client_for("secretariat").post(extend_url(late_draft), body(), format="json")
    response = client_for("ngo").post(submit)
    assert response.status_code == 200, response.json()
    late_draft.refresh_from_db()
    assert late_draft.status == ApplicationStatus.SUBMITTED


@pytest.mark.parametrize("role,expected", NOT_SECRETARIAT)
def test_only_the_secretariat_extends_an_application(client_for, everyone, org_editor,
                                                     org_viewer, late_draft, role, expected):
    response = client_for(role).post(extend_url(late_draft), body(), format="json")
    assert response.status_code == expected
    assert not DeadlineExtension.objects.exists()


def test_an_unknown_application_is_a_404(client_for, secretariat):
    response = client_for("secretariat").post("/api/v1/applications/999999/extend-deadline/",
                                              body(), format="json")
    assert response.status_code == 404


@pytest.mark.parametrize("changes,field", [
    ({"until": "2001-01-01T00:00:00Z"}, "until"),
    ({"until": "tomorrow"}, "until"),
    ({"reason": ""}, "reason"),
    ({"reason": "x" * 5000}, "reason"),
])
def test_bad_input_is_a_400_naming_the_field(client_for, secretariat, late_draft, changes,
                                             field):
    response = client_for("secretariat").post(extend_url(late_draft), body(**changes),
                                              format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_an_until_before_the_calls_closing_is_a_400(client_for, secretariat, organisation):
    call = CallFactory(closes_at=timezone.now() + timedelta(days=10))
    app = complete_application(organisation=organisation, call=call)
    response = client_for("secretariat").post(extend_url(app), body(days=5), format="json")
    assert response.status_code == 400 and "until" in response.json()


def test_a_submitted_application_is_a_409(client_for, secretariat, late_draft):
    late_draft.status = ApplicationStatus.SUBMITTED
    late_draft.save()
    response = client_for("secretariat").post(extend_url(late_draft), body(), format="json")
    assert response.status_code == 409


def test_a_draft_call_is_a_409(client_for, secretariat, organisation):
    call = CallFactory(status=CallStatus.DRAFT)
    app = complete_application(organisation=organisation, call=call)
    response = client_for("secretariat").post(extend_url(app), body(days=40), format="json")
    assert response.status_code == 409


# ------------------------------------------------------------------ a call's extensions


def calls_url(call):
    return f"/api/v1/calls/{call.pk}/extensions/"


def test_the_secretariat_extends_an_organisation_on_a_call(client_for, secretariat,
                                                           organisation, closed_call):
    response = client_for("secretariat").post(
        calls_url(closed_call), body(organisation=organisation.pk), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["whole_organisation"] is True and data["organisation"] == organisation.pk
    assert data["application"] is None and data["call"] == closed_call.pk


def test_an_unknown_organisation_is_a_400(client_for, secretariat, closed_call):
    response = client_for("secretariat").post(calls_url(closed_call),
                                              body(organisation=999999), format="json")
    assert response.status_code == 400 and "organisation" in response.json()


def test_the_list_shows_a_calls_active_extensions(client_for, secretariat, late_draft,
                                                  closed_call, organisation):
    first = deadline_extend(actor=secretariat, call=closed_call, application=late_draft,
                            until=timezone.now() + timedelta(days=2), reason=REASON)
    second = deadline_extend(actor=secretariat, call=closed_call, application=late_draft,
                             until=timezone.now() + timedelta(days=4), reason="Still closed.")
    api = client_for("secretariat")
    data = api.get(calls_url(closed_call)).json()
    assert [row["id"] for row in data["results"]] == [second.pk]
    assert data["results"][0]["granted_by"]
    every = api.get(calls_url(closed_call) + "?revoked=true").json()
    assert [row["id"] for row in every["results"]] == [second.pk, first.pk]
    assert every["results"][1]["active"] is False


@pytest.mark.parametrize("role,expected", NOT_SECRETARIAT)
def test_only_the_secretariat_lists_and_extends_on_a_call(client_for, everyone, org_editor,
                                                          org_viewer, organisation,
                                                          closed_call, role, expected):
    client = client_for(role)
    assert client.get(calls_url(closed_call)).status_code == expected
    response = client.post(calls_url(closed_call), body(organisation=organisation.pk),
                           format="json")
    assert response.status_code == expected
    assert not DeadlineExtension.objects.exists()


def test_an_unknown_call_is_a_404(client_for, secretariat, organisation):
    api = client_for("secretariat")
    assert api.get("/api/v1/calls/999999/extensions/").status_code == 404
    assert api.post("/api/v1/calls/999999/extensions/", body(organisation=organisation.pk),
                    format="json").status_code == 404


def test_revoking_through_the_api(client_for, secretariat, late_draft, closed_call):
    extension = deadline_extend(actor=secretariat, call=closed_call, application=late_draft,
                                until=timezone.now() + timedelta(days=2), reason=REASON)
    url = f"{calls_url(closed_call)}{extension.pk}/revoke/"
    response = client_for("secretariat").post(url)
    assert response.status_code == 200 and response.json()["active"] is False
    assert client_for("secretariat").post(url).status_code == 409


def test_revoking_through_another_call_is_a_404(client_for, secretariat, late_draft,
                                                closed_call):
    extension = deadline_extend(actor=secretariat, call=closed_call, application=late_draft,
                                until=timezone.now() + timedelta(days=2), reason=REASON)
    other = CallFactory()
    response = client_for("secretariat").post(
        f"{calls_url(other)}{extension.pk}/revoke/")
    assert response.status_code == 404


@pytest.mark.parametrize("role,expected", NOT_SECRETARIAT)
def test_only_the_secretariat_revokes(client_for, everyone, org_editor, org_viewer,
                                      secretariat, late_draft, closed_call, role, expected):
    extension = deadline_extend(actor=secretariat, call=closed_call, application=late_draft,
                                until=timezone.now() + timedelta(days=2), reason=REASON)
    response = client_for(role).post(f"{calls_url(closed_call)}{extension.pk}/revoke/")
    assert response.status_code == expected
    extension.refresh_from_db()
    assert extension.revoked_at is None


def test_the_extensions_list_is_flat(client_for, secretariat, closed_call):
    def add(n):
        for _ in range(n):
            organisation = OrganisationFactory()
            if _ % 2:
                deadline_extend(actor=secretariat, call=closed_call, organisation=organisation,
                                until=timezone.now() + timedelta(days=3), reason=REASON)
            else:
                app = complete_application(organisation=organisation, call=closed_call)
                deadline_extend(actor=secretariat, call=closed_call, application=app,
                                until=timezone.now() + timedelta(days=3), reason=REASON)

    assert_flat(client_for("secretariat"), calls_url(closed_call), add, budget=6)
