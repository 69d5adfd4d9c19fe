"""The browsable API renders for signed-in users (session auth), as the contract promises."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["ngo", "secretariat"])
def test_every_grants_page_of_the_browsable_api_renders(
        client, request, role, complete_draft, organisation):
    client.force_login(request.getfixturevalue(role))
    app, call = complete_draft, complete_draft.call
    attachment = app.attachments.first()
    for url in [
        "/api/v1/calls/", f"/api/v1/calls/{call.pk}/", f"/api/v1/calls/{call.pk}/questions/",
        "/api/v1/organisations/", f"/api/v1/organisations/{organisation.pk}/",
        "/api/v1/applications/", f"/api/v1/applications/{app.pk}/",
        f"/api/v1/applications/{app.pk}/attachments/",
        f"/api/v1/applications/{app.pk}/attachments/{attachment.pk}/",
    ]:
        response = client.get(url, HTTP_ACCEPT="text/html")
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("text/html")


def test_a_session_user_writes_with_a_csrf_token(ngo, open_call):
    client = Client(enforce_csrf_checks=True)
    client.force_login(ngo)
    refused = client.post("/api/v1/applications/", {"call": open_call.pk},
                          content_type="application/json")
    assert refused.status_code == 403
    client.get("/api/v1/applications/", HTTP_ACCEPT="text/html")
    token = client.cookies["csrftoken"].value
    accepted = client.post("/api/v1/applications/", {"call": open_call.pk},
                           content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 201
