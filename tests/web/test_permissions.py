"""Who may open which page: anonymous → sign in; wrong role → 403; others' objects → 404."""

import pytest
from django.urls import reverse

from tests.factories import ApplicationFactory, attach

from .conftest import CONFIRMED

pytestmark = pytest.mark.django_db

SECRETARIAT_PAGES = [
    ("grants:call-manage-list", False), ("grants:call-create", False),
    ("grants:call-edit", True), ("grants:call-questions", True),
    ("grants:organisation-list", False), ("grants:application-list", False),
]
NGO_PAGES = ["grants:my-applications", "grants:my-organisation", "grants:my-organisation-edit"]
PUBLIC_PAGES = ["home", "grants:call-list", "accounts:login", "grants:register"]


def _url(name, needs_call, call):
    return reverse(name, args=[call.pk]) if needs_call else reverse(name)


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_pages_open_to_anonymous_visitors(client, name):
    assert client.get(reverse(name)).status_code == 200


def test_an_open_call_is_public(client, open_call):
    response = client.get(reverse("grants:call-detail", args=[open_call.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize(("name", "needs_call"), SECRETARIAT_PAGES)
def test_secretariat_pages_send_anonymous_visitors_to_sign_in(client, open_call, name,
                                                               needs_call):
    response = client.get(_url(name, needs_call, open_call))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize(("name", "needs_call"), SECRETARIAT_PAGES)
def test_secretariat_pages_are_forbidden_to_ngo_users(as_ngo, open_call, name, needs_call):
    assert as_ngo.get(_url(name, needs_call, open_call)).status_code == 403


@pytest.mark.parametrize(("name", "needs_call"), SECRETARIAT_PAGES)
def test_secretariat_pages_open_for_the_secretariat(as_secretariat, open_call, name,
                                                    needs_call):
    assert as_secretariat.get(_url(name, needs_call, open_call)).status_code == 200


@pytest.mark.parametrize("name", NGO_PAGES)
def test_ngo_pages_send_anonymous_visitors_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", NGO_PAGES)
def test_ngo_pages_are_forbidden_to_the_secretariat(as_secretariat, name):
    assert as_secretariat.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", NGO_PAGES)
def test_ngo_pages_open_for_ngo_users(as_ngo, name):
    assert as_ngo.get(reverse(name)).status_code == 200


def test_reviewers_and_donors_cannot_list_applications(login, reviewer, donor):
    for user in (reviewer, donor):
        assert login(user).get(reverse("grants:application-list")).status_code == 403


def test_board_members_see_only_recommended_applications(login, board_member, open_call):
    ApplicationFactory(call=open_call, title="Still a draft")
    ApplicationFactory(call=open_call, title="Recommended one", status="recommended")
    response = login(board_member).get(reverse("grants:application-list"))
    assert response.status_code == 200
    assert b"Recommended one" in response.content
    assert b"Still a draft" not in response.content


def test_a_draft_call_is_hidden_from_the_public(client, login, ngo):
    from tests.factories import CallFactory

    draft = CallFactory(status="draft")
    url = reverse("grants:call-detail", args=[draft.pk])
    assert client.get(url).status_code == 404
    assert login(ngo).get(url).status_code == 404


@pytest.mark.parametrize("name", ["grants:application-detail", "grants:application-edit",
                                  "grants:application-withdraw"])
def test_another_organisations_application_is_not_found(login, other_ngo, organisation,
                                                        open_call, name):
    app = ApplicationFactory(call=open_call, organisation=organisation)
    assert login(other_ngo).get(reverse(name, args=[app.pk])).status_code == 404


@pytest.mark.parametrize("name", ["grants:application-autosave", "grants:application-submit",
                                  "grants:attachment-upload"])
def test_another_organisations_application_cannot_be_changed(login, other_ngo, organisation,
                                                             open_call, name):
    app = ApplicationFactory(call=open_call, organisation=organisation, title="Theirs")
    response = login(other_ngo).post(reverse(name, args=[app.pk]),
                                     {"title": "Mine now", **CONFIRMED})
    assert response.status_code == 404
    app.refresh_from_db()
    assert app.title == "Theirs"


def test_another_organisations_attachment_cannot_be_downloaded(login, other_ngo, organisation,
                                                               open_call):
    app = ApplicationFactory(call=open_call, organisation=organisation)
    attachment = attach(app)
    url = reverse("grants:attachment-download", args=[app.pk, attachment.pk])
    assert login(other_ngo).get(url).status_code == 404


def test_anonymous_visitors_cannot_download_attachments(client, open_call):
    app = ApplicationFactory(call=open_call)
    attachment = attach(app)
    url = reverse("grants:attachment-download", args=[app.pk, attachment.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_the_secretariat_may_read_but_not_edit_an_ngo_draft(as_secretariat, open_call):
    app = ApplicationFactory(call=open_call)
    assert as_secretariat.get(reverse("grants:application-detail",
                                      args=[app.pk])).status_code == 200
    assert as_secretariat.get(reverse("grants:application-edit",
                                      args=[app.pk])).status_code == 403


def test_the_secretariat_cannot_start_an_application(as_secretariat, open_call):
    response = as_secretariat.post(reverse("grants:call-apply", args=[open_call.pk]))
    assert response.status_code == 403
