"""The members page and the invitation landing page, as each person sees them."""

import pytest
from django.core import mail

from grants.models import Invitation, Membership, OrgRole
from grants.services.invitations import invitation_create
from tests.factories import ngo_user
from tests.grants.members.conftest import token_from_mail
from tests.queries import queries_for_get

pytestmark = pytest.mark.django_db
PASSWORD = "Wide-Harbour-2026!"
PAGE = "/organisation/members/"


def test_the_admin_sees_members_roles_last_sign_in_and_pending_invitations(
        login, admin, editor, organisation):
    invitation_create(actor=admin, organisation=organisation, email="soon@example.org",
                      role=OrgRole.VIEWER)
    page = login(admin).get(PAGE)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Chidi Eze" in html and "Editor" in html and "soon@example.org" in html
    assert 'action="/organisation/members/invite/"' in html
    assert f'action="/organisation/members/{editor.membership.pk}/remove/"' in html


@pytest.mark.parametrize("who", ["editor", "viewer"])
def test_other_members_see_the_list_without_the_admins_forms(who, request, login, admin,
                                                            organisation):
    invitation_create(actor=admin, organisation=organisation, email="soon@example.org",
                      role=OrgRole.VIEWER)
    page = login(request.getfixturevalue(who)).get(PAGE)
    html = page.content.decode()
    assert page.status_code == 200 and "Amaka Okafor" in html
    assert "soon@example.org" not in html and "/invite/" not in html and "/remove/" not in html
    assert 'action="/organisation/members/leave/"' in html


def test_a_person_without_an_organisation_gets_404(login, stranger, removed):
    assert login(stranger).get(PAGE).status_code == 404
    assert login(removed).get(PAGE).status_code == 404


def test_anonymous_is_sent_to_sign_in(client):
    assert client.get(PAGE).status_code == 302


def test_the_secretariat_sees_the_members_on_the_organisation_page(login, secretariat,
                                                                  admin, viewer, organisation):
    html = login(secretariat).get(f"/organisations/{organisation.pk}/verify/").content.decode()
    assert "Amaka Okafor" in html and "Viewer" in html


def test_an_admin_invites_from_the_page(login, admin, committed):
    with committed():
        response = login(admin).post(PAGE + "invite/", {"email": "new@example.org",
                                                        "role": "viewer"})
    assert response.status_code == 302
    assert Invitation.objects.get().role == OrgRole.VIEWER
    assert mail.outbox[-1].to == ["new@example.org"]


def test_a_refused_invitation_keeps_the_form(login, admin, editor):
    response = login(admin).post(PAGE + "invite/", {"email": editor.email, "role": "viewer"})
    assert response.status_code == 400 and "already uses this address" in (
        response.content.decode())


def test_an_editor_cannot_invite_by_posting(login, editor):
    login(editor).post(PAGE + "invite/", {"email": "new@example.org", "role": "admin"})
    assert not Invitation.objects.exists()


def test_removing_needs_the_confirmation(login, admin, viewer):
    client = login(admin)
    url = PAGE + f"{viewer.membership.pk}/remove/"
    assert client.post(url).status_code == 400
    assert Membership.objects.filter(user=viewer).exists()
    assert client.post(url, {"confirmed": "yes"}).status_code == 302
    assert not Membership.objects.filter(user=viewer).exists()


def test_the_last_admin_leaving_is_refused_with_a_message(login, admin):
    response = login(admin).post(PAGE + "leave/", {"confirmed": "yes"}, follow=True)
    assert "last administrator" in response.content.decode()
    assert Membership.objects.filter(user=admin).exists()


def test_the_last_admin_is_told_instead_of_offered_to_leave(login, admin, editor):
    from grants.services.members import member_change_role

    page = login(admin).get(PAGE).content.decode()
    assert "only administrator" in page and f'action="{PAGE}leave/"' not in page
    assert f'action="{PAGE}leave/"' in login(editor).get(PAGE).content.decode()
    member_change_role(actor=admin, membership=Membership.objects.get(user=editor),
                       role="admin")
    assert f'action="{PAGE}leave/"' in login(admin).get(PAGE).content.decode()


def test_an_admin_changes_a_role_from_the_page(login, admin, editor):
    login(admin).post(PAGE + f"{editor.membership.pk}/role/", {"role": "viewer"})
    assert Membership.objects.get(user=editor).role == OrgRole.VIEWER


def test_a_new_person_opens_the_link_creates_an_account_and_is_signed_in(
        client, admin, organisation, committed):
    with committed():
        invitation_create(actor=admin, organisation=organisation, email="new@example.org",
                          role=OrgRole.EDITOR)
    url = f"/invitations/{token_from_mail('new@example.org')}/"
    page = client.get(url)
    assert page.status_code == 200 and "Join Hope Shelter Nigeria" in page.content.decode()
    nameless = client.post(url, {"username": "newbie", "password": PASSWORD,
                                 "password_again": PASSWORD})
    assert nameless.status_code == 400 and "first_name" in nameless.context["form"].errors
    response = client.post(url, {"first_name": "Chinwe", "last_name": "Okafor",
                                 "username": "newbie", "password": PASSWORD,
                                 "password_again": PASSWORD})
    assert response.status_code == 302 and response.url == PAGE
    assert client.get(PAGE).status_code == 200  # signed in as the new member
    member = Membership.objects.get(user__username="newbie")
    assert member.role == OrgRole.EDITOR and member.user.display_name == "Chinwe Okafor"
    assert client.get(url).status_code == 404


def test_mismatched_passwords_keep_the_form(client, admin, organisation):
    _invitation, token = invitation_create(actor=admin, organisation=organisation,
                                           email="new@example.org", role=OrgRole.EDITOR)
    response = client.post(f"/invitations/{token}/", {
        "first_name": "Chinwe", "username": "newbie", "password": PASSWORD,
        "password_again": PASSWORD + "x"})
    assert response.status_code == 400 and not Membership.objects.filter(
        user__username="newbie").exists()


def test_a_signed_in_person_joins_with_one_button(login, stranger, admin, organisation):
    _invitation, token = invitation_create(actor=admin, organisation=organisation,
                                           email="x@example.org", role=OrgRole.VIEWER)
    client = login(stranger)
    assert "Join Hope Shelter Nigeria" in client.get(f"/invitations/{token}/").content.decode()
    assert client.post(f"/invitations/{token}/").status_code == 302
    assert stranger.membership.organisation == organisation


def test_a_member_elsewhere_is_told_and_stays_where_they_are(login, outsider, admin,
                                                             organisation):
    _invitation, token = invitation_create(actor=admin, organisation=organisation,
                                           email="x@example.org", role=OrgRole.VIEWER)
    response = login(outsider).post(f"/invitations/{token}/", follow=True)
    assert "already belong to Other NGO" in response.content.decode()
    assert Membership.objects.get(user=outsider).organisation.name == "Other NGO"


def test_an_invalid_link_is_a_friendly_404(client, db):
    response = client.get("/invitations/made-up-token/")
    assert response.status_code == 404
    assert "This invitation link is not valid" in response.content.decode()


def test_the_members_page_costs_the_same_for_many_members(login, admin, organisation):
    client = login(admin)
    invitation_create(actor=admin, organisation=organisation, email="a@example.org",
                      role=OrgRole.VIEWER)
    few = queries_for_get(client, PAGE)
    for i in range(12):
        ngo_user(organisation, org_role=OrgRole.VIEWER, username=f"extra{i}")
        invitation_create(actor=admin, organisation=organisation, email=f"p{i}@example.org",
                          role=OrgRole.EDITOR)
    assert queries_for_get(client, PAGE) == few


@pytest.mark.parametrize("who,expected", [("admin", 200), ("editor", 403), ("viewer", 403)])
def test_only_admins_edit_the_organisations_profile(who, expected, request, login):
    assert login(request.getfixturevalue(who)).get("/organisation/edit/").status_code == expected


def test_the_invitation_page_shares_the_api_rate_limit(client, api, db, monkeypatch):
    """Posting guessed tokens to the page counts against the same limit as the endpoint,
    before the token is looked up."""
    from fundapp.core.throttling import ScopedRateThrottle

    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"invitation": "3/minute"})
    codes = [client.post(f"/invitations/guess{i}/").status_code for i in range(2)]
    codes.append(api.post("/api/v1/invitations/guess2/accept/", {}).status_code)
    page = client.post("/invitations/guess3/")
    assert codes == [404, 404, 404]
    assert page.status_code == 429 and "Too many requests" in page.content.decode()
