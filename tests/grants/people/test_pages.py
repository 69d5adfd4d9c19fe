"""The People pages: who may open them, the list's filters and query budget, and the
secretariat's journey through roles, deactivation and reactivation."""

import pytest
from django.urls import reverse

from fundapp.accounts.roles import Role, roles_of
from fundapp.core.confirm import CONFIRM_FIELD, CONFIRM_VALUE
from grants.models import Membership
from tests.factories import OrganisationFactory, UserFactory, ngo_user
from tests.grants.reviews.helpers import assign, eligible_application
from tests.queries import queries_for_get

pytestmark = pytest.mark.django_db

BUDGET = 15
OTHER_ROLES = ["reviewer", "board_member", "ngo", "donor"]


def _pages(person):
    return [reverse("grants:people-list"), reverse("grants:people-invite"),
            reverse("grants:person-detail", args=[person.pk])]


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_people_pages_are_forbidden_to_every_other_role(request, login, reviewer, role):
    client = login(request.getfixturevalue(role))
    for url in _pages(reviewer):
        assert client.get(url).status_code == 403, url
    post = client.post(reverse("grants:person-deactivate", args=[reviewer.pk]),
                       {"reason": "x", CONFIRM_FIELD: CONFIRM_VALUE})
    assert post.status_code == 403


def test_people_pages_send_anonymous_visitors_to_sign_in(client, reviewer):
    for url in _pages(reviewer):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_a_deactivated_secretariat_user_is_signed_out(login, secretariat, colleague):
    client = login(colleague)
    colleague.is_active = False
    colleague.save()
    response = client.get(reverse("grants:people-list"))
    assert response.status_code == 302


def test_the_secretariat_sees_every_status(login, secretariat, reviewer, deactivated, ngo):
    page = login(secretariat).get(reverse("grants:people-list")).content.decode()
    for name in (reviewer.username, deactivated.username, ngo.username):
        assert name in page
    assert "Deactivated" in page
    assert "People" in page  # the nav link


def test_the_list_filters_by_status_role_organisation_and_search(login, secretariat, reviewer,
                                                                  deactivated, ngo,
                                                                  organisation):
    client = login(secretariat)
    url = reverse("grants:people-list")
    names = lambda params: client.get(url, params).context["page"].object_list  # noqa: E731
    assert list(names({"status": "deactivated"})) == [deactivated]
    assert reviewer not in names({"status": "deactivated"})
    assert set(names({"role": Role.REVIEWER})) == {reviewer, deactivated}
    assert list(names({"organisation": organisation.pk})) == [ngo]
    assert list(names({"q": reviewer.email.upper()})) == [reviewer]
    assert list(names({"status": "invited"})) == []


def test_the_list_costs_the_same_for_few_or_many_people(login, secretariat):
    client = login(secretariat)
    url = reverse("grants:people-list")
    UserFactory(roles=[Role.REVIEWER])
    few = queries_for_get(client, url)
    org = OrganisationFactory()
    for i in range(12):
        ngo_user(org, org_role="editor")
        UserFactory(roles=[Role.REVIEWER, Role.BOARD], is_active=bool(i % 2))
    assert queries_for_get(client, url) == few <= BUDGET


def test_the_person_page_lists_pending_work_to_reassign(login, secretariat, deactivated):
    app = eligible_application()
    assign(app, deactivated)
    page = login(secretariat).get(reverse("grants:person-detail", args=[deactivated.pk]))
    text = page.content.decode()
    assert "Needs reassignment" in text
    assert reverse("grants:review-assign", args=[app.pk]) in text


def test_the_secretariat_changes_roles_from_the_page(login, secretariat, reviewer):
    response = login(secretariat).post(reverse("grants:person-roles", args=[reviewer.pk]),
                                       {"roles": [Role.REVIEWER, Role.BOARD]})
    assert response.status_code == 302
    reviewer._fund_roles = None
    assert roles_of(reviewer) == {Role.REVIEWER, Role.BOARD}


def test_removing_ones_own_secretariat_role_shows_the_reason(login, secretariat):
    response = login(secretariat).post(reverse("grants:person-roles", args=[secretariat.pk]),
                                       {"roles": [Role.REVIEWER]})
    assert response.status_code == 400
    assert "your own secretariat role" in response.content.decode()


def test_deactivation_needs_the_confirmation_then_works(login, secretariat, reviewer):
    client = login(secretariat)
    url = reverse("grants:person-deactivate", args=[reviewer.pk])
    assert client.post(url, {"reason": "Left"}).status_code == 400
    reviewer.refresh_from_db()
    assert reviewer.is_active
    response = client.post(url, {"reason": "Left", CONFIRM_FIELD: CONFIRM_VALUE})
    assert response.status_code == 302
    reviewer.refresh_from_db()
    assert not reviewer.is_active


def test_deactivation_without_a_reason_is_refused_on_the_page(login, secretariat, reviewer):
    response = login(secretariat).post(reverse("grants:person-deactivate", args=[reviewer.pk]),
                                       {"reason": "", CONFIRM_FIELD: CONFIRM_VALUE})
    assert response.status_code == 400
    reviewer.refresh_from_db()
    assert reviewer.is_active


def test_reactivation_from_the_page(login, secretariat, deactivated):
    response = login(secretariat).post(
        reverse("grants:person-reactivate", args=[deactivated.pk]), {"reason": "Back"})
    assert response.status_code == 302
    deactivated.refresh_from_db()
    assert deactivated.is_active


def test_an_unknown_person_is_404(login, secretariat):
    assert login(secretariat).get(reverse("grants:person-detail", args=[99999])).status_code \
        == 404


def test_membership_is_shown(login, secretariat, ngo):
    page = login(secretariat).get(reverse("grants:person-detail", args=[ngo.pk]))
    assert Membership.objects.get(user=ngo).organisation.name in page.content.decode()


def test_the_assignment_page_flags_a_deactivated_reviewers_review(login, secretariat,
                                                                  deactivated):
    app = eligible_application()
    assign(app, deactivated)
    page = login(secretariat).get(reverse("grants:review-assign", args=[app.pk]))
    assert "needs reassignment" in page.content.decode()


def test_the_invite_form_sends_a_reviewer_invitation(login, secretariat):
    from grants.models import Invitation

    response = login(secretariat).post(reverse("grants:people-invite"), {
        "email": "expert@example.org", "roles": [Role.REVIEWER], "expertise": "Legal aid",
        "languages": "Spanish", "is_external": "on", "board_role": "member"})
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="expert@example.org")
    assert (invitation.roles, invitation.details["languages"]) == (["reviewer"], "Spanish")


def test_the_invite_form_asks_a_board_members_term(login, secretariat):
    from grants.models import Invitation

    response = login(secretariat).post(reverse("grants:people-invite"), {
        "email": "trustee@example.org", "roles": [Role.BOARD], "board_role": "member"})
    assert response.status_code == 400
    assert response.context["form"].errors["term_start"]
    assert not Invitation.objects.exists()
