"""The API of members and invitations, for every role: members read, admins change; the
secretariat reads; other organisations and removed members get 404."""

import pytest

from grants.models import Invitation, Membership, OrgRole
from grants.services.invitations import invitation_create
from tests.factories import ngo_user
from tests.grants.members.conftest import token_from_mail
from tests.queries import queries_for_get

pytestmark = pytest.mark.django_db
PASSWORD = "Wide-Harbour-2026!"
READERS = [("admin", 200), ("editor", 200), ("viewer", 200), ("secretariat", 200),
           ("outsider", 404), ("removed", 404), ("reviewer", 404), ("stranger", 404)]


def members_url(org, pk=None):
    return f"/api/v1/organisations/{org.pk}/members/" + (f"{pk}/" if pk else "")


def invitations_url(org, pk=None):
    return f"/api/v1/organisations/{org.pk}/invitations/" + (f"{pk}/" if pk else "")


@pytest.mark.parametrize("who,expected", READERS)
def test_who_reads_the_members(who, expected, request, api_as, organisation, admin):
    response = api_as(request.getfixturevalue(who)).get(members_url(organisation))
    assert response.status_code == expected
    if expected == 200:
        rows = response.json()["results"]
        me = next(r for r in rows if r["username"] == "amaka")
        assert set(me) >= {"id", "user", "username", "email", "role", "joined_at"}
        assert (me["user"], me["role"]) == (admin.pk, "admin")


def test_anonymous_is_refused(api, organisation):
    assert api.get(members_url(organisation)).status_code == 401


@pytest.mark.parametrize("who,expected", [
    ("admin", 200), ("editor", 403), ("viewer", 403), ("secretariat", 403),
    ("outsider", 404), ("removed", 404)])
def test_who_changes_a_role(who, expected, request, api_as, organisation, admin, editor):
    response = api_as(request.getfixturevalue(who)).patch(
        members_url(organisation, editor.membership.pk), {"role": "viewer"}, format="json")
    assert response.status_code == expected, response.content[:200]
    assert (Membership.objects.get(user=editor).role == OrgRole.VIEWER) == (expected == 200)


def test_the_last_admin_is_a_409(api_as, organisation, admin):
    response = api_as(admin).patch(members_url(organisation, admin.membership.pk),
                                   {"role": "editor"}, format="json")
    assert response.status_code == 409
    assert "last administrator" in str(response.json())
    response = api_as(admin).delete(members_url(organisation, admin.membership.pk))
    assert response.status_code == 409


def test_a_bad_role_is_a_400(api_as, organisation, admin, editor):
    response = api_as(admin).patch(members_url(organisation, editor.membership.pk),
                                   {"role": "owner"}, format="json")
    assert response.status_code == 400


@pytest.mark.parametrize("who,expected", [
    ("admin", 204), ("editor", 403), ("secretariat", 403), ("outsider", 404)])
def test_who_removes_a_member(who, expected, request, api_as, organisation, admin, viewer):
    response = api_as(request.getfixturevalue(who)).delete(
        members_url(organisation, viewer.membership.pk))
    assert response.status_code == expected
    assert Membership.objects.filter(user=viewer).exists() == (expected != 204)


def test_a_member_leaves_through_the_api(api_as, organisation, admin, viewer):
    assert api_as(viewer).delete(members_url(organisation, viewer.membership.pk)
                                 ).status_code == 204
    assert api_as(viewer).get(members_url(organisation)).status_code == 404


def test_a_member_of_another_organisation_is_404_under_this_one(api_as, organisation,
                                                                 other_organisation, admin,
                                                                 outsider):
    response = api_as(admin).get(members_url(organisation, outsider.membership.pk))
    assert response.status_code == 404


@pytest.mark.parametrize("who,expected", [
    ("admin", 201), ("editor", 403), ("viewer", 403), ("secretariat", 403),
    ("outsider", 404), ("removed", 404)])
def test_who_invites(who, expected, request, api_as, organisation, admin):
    response = api_as(request.getfixturevalue(who)).post(
        invitations_url(organisation), {"email": "new@example.org", "role": "editor"},
        format="json")
    assert response.status_code == expected, response.content[:200]
    assert Invitation.objects.exists() == (expected == 201)
    if expected == 201:
        body = response.json()
        assert body["email"] == "new@example.org" and "token" not in str(body).lower()


@pytest.mark.parametrize("who,expected", [
    ("admin", 200), ("editor", 403), ("viewer", 403), ("secretariat", 403),
    ("outsider", 404)])
def test_who_lists_pending_invitations(who, expected, request, api_as, organisation, admin):
    invitation_create(actor=admin, organisation=organisation, email="a@example.org",
                      role=OrgRole.VIEWER)
    response = api_as(request.getfixturevalue(who)).get(invitations_url(organisation))
    assert response.status_code == expected
    if expected == 200:
        assert [r["email"] for r in response.json()["results"]] == ["a@example.org"]


@pytest.mark.parametrize("who,expected", [
    ("admin", 204), ("editor", 403), ("outsider", 404)])
def test_who_revokes(who, expected, request, api_as, organisation, admin):
    invitation, _token = invitation_create(actor=admin, organisation=organisation,
                                           email="a@example.org", role=OrgRole.VIEWER)
    response = api_as(request.getfixturevalue(who)).delete(
        invitations_url(organisation, invitation.pk))
    assert response.status_code == expected
    invitation.refresh_from_db()
    assert (invitation.revoked_at is not None) == (expected == 204)


def test_the_link_holder_creates_an_account_and_joins(api, api_as, organisation, admin,
                                                       committed):
    with committed():
        api_as(admin).post(invitations_url(organisation),
                           {"email": "new@example.org", "role": "editor"}, format="json")
    token = token_from_mail("new@example.org")
    response = api.post(f"/api/v1/invitations/{token}/accept/",
                        {"username": "newbie", "password": PASSWORD,
                         "first_name": " Chinwe ", "last_name": "Okafor"}, format="json")
    assert response.status_code == 201, response.content[:300]
    assert response.json()["organisation"] == organisation.pk
    assert response.json()["role"] == "editor"
    assert Membership.objects.get(user__username="newbie").user.get_full_name() == \
        "Chinwe Okafor"
    again = api.post(f"/api/v1/invitations/{token}/accept/",
                     {"username": "other", "password": PASSWORD}, format="json")
    assert again.status_code == 404


def test_a_signed_in_person_joins_and_one_of_another_organisation_gets_409(
        api_as, organisation, admin, outsider, stranger):
    _invitation, token = invitation_create(actor=admin, organisation=organisation,
                                           email="x@example.org", role=OrgRole.VIEWER)
    assert api_as(outsider).post(f"/api/v1/invitations/{token}/accept/").status_code == 409
    response = api_as(stranger).post(f"/api/v1/invitations/{token}/accept/")
    assert response.status_code == 200
    assert Membership.objects.get(user=stranger).organisation == organisation


def test_a_weak_password_is_a_400_and_the_link_still_works(api, organisation, admin):
    _invitation, token = invitation_create(actor=admin, organisation=organisation,
                                           email="x@example.org", role=OrgRole.VIEWER)
    response = api.post(f"/api/v1/invitations/{token}/accept/",
                        {"username": "newbie", "password": "123"}, format="json")
    assert response.status_code == 400 and "password" in response.json()
    assert Invitation.objects.pending().count() == 1


def test_an_unknown_token_is_a_404(api):
    assert api.post("/api/v1/invitations/nothing-here/accept/", {}).status_code == 404


def test_accepting_is_throttled(api, db, monkeypatch):
    from grants.api.organisations import InvitationThrottle

    monkeypatch.setattr(InvitationThrottle, "THROTTLE_RATES", {"invitation": "3/minute"})
    codes = [api.post(f"/api/v1/invitations/guess{i}/accept/", {}).status_code
             for i in range(4)]
    assert codes == [404, 404, 404, 429]


def test_the_members_endpoint_costs_the_same_for_many_members(api_as, organisation, admin):
    client = api_as(admin)
    url = members_url(organisation)
    queries_for_get(client, url)  # the token's first use is recorded once
    few = queries_for_get(client, url)
    for i in range(15):
        ngo_user(organisation, org_role=OrgRole.VIEWER, username=f"extra{i}")
    assert queries_for_get(client, url) == few
