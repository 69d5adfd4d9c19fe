"""The People API: secretariat only (404 for everyone else), same rules as the pages."""

import pytest
from django.core import mail

from fundapp.accounts.roles import Role
from grants.models import Invitation
from tests.grants.reviews.helpers import eligible_application
from tests.queries import queries_for_get

pytestmark = pytest.mark.django_db

INVITATIONS = "/api/v1/users/invitations/"
OTHERS = ["anonymous", "reviewer", "board_member", "ngo", "donor", "deactivated_secretariat"]


@pytest.fixture
def deactivated_secretariat(db):
    from tests.factories import UserFactory

    return UserFactory(username="oldsec", roles=[Role.SECRETARIAT], is_active=False)


@pytest.fixture
def as_role(request, token_client):
    def make(role):
        if role == "anonymous":
            return token_client(None)
        return token_client(request.getfixturevalue(role))
    return make


def _invite(client, **body):
    return client.post(INVITATIONS, {"email": "new@example.org", "roles": ["reviewer"],
                                     **body}, format="json")


@pytest.mark.parametrize("role", OTHERS)
def test_every_other_role_gets_404_or_401(as_role, secretariat, reviewer, role):
    client = as_role(role)
    invitation_status = _invite(client).status_code
    responses = [invitation_status, client.get(INVITATIONS).status_code,
                 client.post(f"/api/v1/users/{reviewer.pk}/deactivate/", {"reason": "x"},
                             format="json").status_code,
                 client.post(f"/api/v1/users/{reviewer.pk}/reactivate/", {"reason": "x"},
                             format="json").status_code,
                 client.post(f"/api/v1/users/{reviewer.pk}/roles/", {"roles": []},
                             format="json").status_code]
    # a token of a deactivated account does not authenticate at all
    expected = 401 if role in ("anonymous", "deactivated_secretariat") else 404
    assert set(responses) == {expected}, responses
    assert not Invitation.objects.exists()


def test_the_secretariat_invites_lists_and_revokes(as_role, secretariat,
                                                   django_capture_on_commit_callbacks):
    client = as_role("secretariat")
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client, expertise="Legal aid", languages="Spanish")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["roles"] == ["reviewer"] and body["email"] == "new@example.org"
    [sent] = [m for m in mail.outbox if "new@example.org" in m.to]
    assert "/invitations/" in sent.body
    assert "in Persons, as Reviewer." in " ".join(sent.body.split())  # one role: no list
    assert [r["id"] for r in client.get(INVITATIONS).json()["results"]] == [body["id"]]
    assert client.delete(f"{INVITATIONS}{body['id']}/").status_code == 204
    assert client.get(INVITATIONS).json()["results"] == []
    assert client.delete(f"{INVITATIONS}{body['id']}/").status_code == 409


def test_a_board_invitation_without_a_term_is_a_400(as_role, secretariat):
    response = _invite(as_role("secretariat"), roles=["board"])
    assert response.status_code == 400
    assert "term_start" in response.json()


def test_a_donor_invitation_names_a_donor(as_role, secretariat):
    from tests.donors.factories import DonorFactory

    donor = DonorFactory()
    client = as_role("secretariat")
    assert _invite(client, roles=["donor"]).status_code == 400
    response = _invite(client, roles=["donor"], donor=donor.pk)
    assert response.status_code == 201
    assert Invitation.objects.get().details["donor"] == donor.pk


def test_unknown_roles_are_a_400(as_role, secretariat):
    assert _invite(as_role("secretariat"), roles=["ngo"]).status_code == 400
    assert _invite(as_role("secretariat"), roles=[]).status_code == 400


def test_deactivate_and_reactivate(as_role, secretariat, reviewer, token_client):
    client = as_role("secretariat")
    reviewers_client = token_client(reviewer)
    url = f"/api/v1/users/{reviewer.pk}/"
    assert client.post(f"{url}deactivate/", {}, format="json").status_code == 400
    response = client.post(f"{url}deactivate/", {"reason": "Left"}, format="json")
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert reviewers_client.get("/api/v1/reviews/").status_code == 401
    assert client.post(f"{url}deactivate/", {"reason": "Left"}, format="json").status_code \
        == 409
    response = client.post(f"{url}reactivate/", {"reason": "Back"}, format="json")
    assert response.status_code == 200 and response.json()["is_active"] is True


def test_the_secretariat_cannot_deactivate_itself(as_role, secretariat):
    response = as_role("secretariat").post(f"/api/v1/users/{secretariat.pk}/deactivate/",
                                           {"reason": "x"}, format="json")
    assert response.status_code == 409


def test_roles_are_set(as_role, secretariat, reviewer):
    response = as_role("secretariat").post(f"/api/v1/users/{reviewer.pk}/roles/",
                                           {"roles": ["reviewer", "board"]}, format="json")
    assert response.status_code == 200
    assert response.json()["roles"] == ["board", "reviewer"]


def test_an_unknown_user_is_404(as_role, secretariat):
    assert as_role("secretariat").post("/api/v1/users/99999/deactivate/", {"reason": "x"},
                                       format="json").status_code == 404


def test_the_invitation_list_is_flat(as_role, secretariat):
    from grants.services.people import staff_invite

    client = as_role("secretariat")
    staff_invite(actor=secretariat, email="a@example.org", roles=[Role.REVIEWER])
    client.get(INVITATIONS)  # the token's first use is recorded once
    few = queries_for_get(client, INVITATIONS)
    for i in range(10):
        staff_invite(actor=secretariat, email=f"b{i}@example.org", roles=[Role.SECRETARIAT])
    assert queries_for_get(client, INVITATIONS) == few <= 10


def test_an_invited_reviewer_is_in_the_pick_list_once_accepted(
        as_role, secretariat, django_capture_on_commit_callbacks):
    from grants.services.invitations import invitation_accept

    client = as_role("secretariat")
    with django_capture_on_commit_callbacks(execute=True):
        assert _invite(client).status_code == 201
    token = next(m.body for m in mail.outbox).split("/invitations/")[1].split("/")[0]
    invitation_accept(token=token, username="newexpert", password="a-long-passphrase-1")
    rows = client.get("/api/v1/users/", {"role": "reviewer"}).json()["results"]
    assert "newexpert" in [r["username"] for r in rows]
    app = eligible_application()
    response = client.post(f"/api/v1/applications/{app.pk}/assign-reviewers/",
                           {"reviewers": [r["id"] for r in rows]}, format="json")
    assert response.status_code in (200, 201), response.content
