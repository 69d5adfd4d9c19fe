"""The thread pages: /applications/<pk>/messages/ and /grants/<pk>/messages/, their files,
the "Messages" link with its unread badge, and the unread badges of the lists."""

import pytest
from django.urls import reverse

from fundapp.notifications.models import Notification
from grants.models import Message, OrgRole, Review, ThreadRead
from grants.services.messages import message_post
from tests.factories import PDF_BYTES, ApplicationFactory, ngo_user
from tests.grants.implementation.helpers import make_grant
from tests.grants.messages.helpers import exe, pdf, submitted_application
from tests.queries import queries_for_get

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(organisation):
    return ngo_user(organisation, org_role=OrgRole.EDITOR, username="chidi")


@pytest.fixture
def viewer(organisation):
    return ngo_user(organisation, org_role=OrgRole.VIEWER, username="ngozi")


@pytest.fixture
def application(organisation, open_call):
    return submitted_application(organisation, open_call)


@pytest.fixture
def assigned_reviewer(reviewer, application):
    Review.objects.create(application=application, reviewer=reviewer, conflict_declared=False)
    return reviewer


@pytest.fixture
def grant(organisation):
    return make_grant(organisation)


def app_url(app) -> str:
    return reverse("grants:application-messages", args=[app.pk])


def grant_url(grant) -> str:
    return reverse("grants:grant-messages", args=[grant.pk])


@pytest.fixture
def urls(application, grant):
    return {"application": (app_url(application), {"application": application}),
            "grant": (grant_url(grant), {"grant": grant})}


KINDS = ["application", "grant"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("role", ["secretariat", "ngo", "editor", "viewer"])
def test_the_secretariat_and_members_see_the_thread(request, login, urls, secretariat, role,
                                                    kind):
    url, owner = urls[kind]
    message_post(actor=secretariat, **owner, body="Please send your audited accounts.")
    response = login(request.getfixturevalue(role)).get(url)
    assert response.status_code == 200
    assert "Please send your audited accounts." in response.content.decode()


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("role", ["other_ngo", "reviewer", "assigned_reviewer", "board_member",
                                  "donor"])
def test_everyone_else_gets_a_404(request, login, urls, secretariat, role, kind):
    url, owner = urls[kind]
    message = message_post(actor=secretariat, **owner, body="x", files=[pdf()])
    client = login(request.getfixturevalue(role))
    assert client.get(url).status_code == 404
    assert client.post(url, {"body": "Hello"}).status_code == 404
    assert client.get(f"{url}files/{message.attachments.get().pk}/").status_code == 404
    assert Message.objects.count() == 1


def test_anonymous_is_sent_to_sign_in(client, urls):
    for url, _owner in urls.values():
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_showing_the_thread_marks_new_messages_and_then_reads_them(login, ngo, secretariat,
                                                                   application):
    message_post(actor=secretariat, application=application, body="Question one")
    client = login(ngo)
    first = client.get(app_url(application)).content.decode()
    assert "1 new message since your last visit." in first
    assert 'badge badge-pending">New<' in first
    assert ThreadRead.objects.filter(user=ngo, application=application).exists()
    again = client.get(app_url(application)).content.decode()
    assert "new message" not in again and ">New<" not in again


def test_an_ngo_answers_with_a_file_and_the_secretariat_is_told(login, ngo, secretariat,
                                                                application):
    response = login(ngo).post(app_url(application), {
        "body": "Attached are our accounts.", "files": [pdf("accounts.pdf"), pdf("b.pdf")]})
    message = Message.objects.get()
    assert response.status_code == 302
    assert response.url == f"{app_url(application)}#message-{message.pk}"
    assert message.attachments.count() == 2 and message.from_secretariat is False
    assert Notification.objects.filter(kind="message_posted", recipient=secretariat).exists()
    page = login(secretariat).get(app_url(application)).content.decode()
    file_pk = message.attachments.first().pk
    assert f"{app_url(application)}files/{file_pk}/" in page
    download = login(secretariat).get(f"{app_url(application)}files/{file_pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF_BYTES


def test_a_refused_file_keeps_the_message_and_says_why(login, ngo, application):
    response = login(ngo).post(app_url(application), {"body": "My draft text",
                                                      "files": [exe("virus.pdf")]})
    assert response.status_code == 400
    page = response.content.decode()
    assert "virus.pdf" in page and "My draft text" in page
    assert not Message.objects.exists()


def test_a_viewer_reads_without_a_form_and_cannot_post(login, viewer, application):
    client = login(viewer)
    page = client.get(app_url(application)).content.decode()
    assert 'name="body"' not in page and "an admin or an editor may answer" in page
    response = client.post(app_url(application), {"body": "Hello"})
    assert response.status_code == 400 and not Message.objects.exists()


def test_a_draft_says_the_thread_opens_on_submission(login, ngo, organisation, open_call):
    draft = ApplicationFactory(organisation=organisation, call=open_call)
    page = login(ngo).get(app_url(draft)).content.decode()
    assert "opens once the application is submitted" in page and 'name="body"' not in page
    detail = login(ngo).get(reverse("grants:application-detail", args=[draft.pk]))
    assert app_url(draft) not in detail.content.decode()


def test_the_application_page_links_to_the_thread_with_its_unread_count(
        login, ngo, secretariat, board_member, assigned_reviewer, application):
    for body in ("One", "Two"):
        message_post(actor=secretariat, application=application, body=body)
    detail = reverse("grants:application-detail", args=[application.pk])
    page = login(ngo).get(detail).content.decode()
    assert f'href="{app_url(application)}"' in page and "2 new" in page
    assert app_url(application) not in login(assigned_reviewer).get(detail).content.decode()


def test_the_grant_pages_link_to_the_thread_for_readers_only(login, ngo, secretariat,
                                                             board_member, grant):
    message_post(actor=ngo, grant=grant, body="Bank details changed")
    for name in ("grants:grant-implementation", "grants:grant-detail"):
        page = login(secretariat).get(reverse(name, args=[grant.pk])).content.decode()
        assert f'href="{grant_url(grant)}"' in page and "1 new" in page
        board_page = login(board_member).get(reverse(name, args=[grant.pk]))
        assert board_page.status_code == 200
        assert grant_url(grant) not in board_page.content.decode()


def test_the_lists_show_unread_badges(login, ngo, secretariat, application, grant):
    message_post(actor=secretariat, application=application, body="Question")
    message_post(actor=ngo, grant=grant, body="Report attached")
    mine = login(ngo).get(reverse("grants:my-applications")).content.decode()
    assert "1 new" in mine
    assert "1 new" in login(secretariat).get(reverse("grants:grant-portfolio")).content.decode()
    assert "1 new" in login(secretariat).get(reverse("grants:grant-list")).content.decode()
    message_post(actor=ngo, application=application, body="Answer")
    listing = login(secretariat).get(reverse("grants:application-list")).content.decode()
    assert "1 new" in listing


@pytest.mark.parametrize("kind", KINDS)
def test_the_thread_page_is_flat(login, ngo, secretariat, urls, kind):
    url, owner = urls[kind]
    client = login(ngo)

    def add(n):
        for i in range(n):
            message_post(actor=secretariat if i % 2 else ngo, **owner, body=f"Message {i}",
                         files=[pdf(f"f{i}.pdf")] if i % 3 == 0 else ())

    add(3)
    few = queries_for_get(client, url)
    add(27)
    assert queries_for_get(client, url) == few <= 20


def test_the_lists_stay_flat_with_unread_badges(login, ngo, secretariat, organisation,
                                                open_call):
    def add(n, start):
        for i in range(n):
            app = submitted_application(organisation, open_call, reference=f"VTF1-{start + i:04d}")
            message_post(actor=secretariat, application=app, body="Question")

    add(2, 10)
    client = login(ngo)
    few = queries_for_get(client, reverse("grants:my-applications"))
    add(8, 20)
    assert queries_for_get(client, reverse("grants:my-applications")) == few <= 15


def test_the_edit_page_of_an_application_answering_a_request_links_to_the_thread(
        login, ngo, secretariat, application):
    from grants.models import ApplicationStatus

    message_post(actor=secretariat, application=application, body="See the request")
    type(application).objects.filter(pk=application.pk).update(
        status=ApplicationStatus.INFORMATION_REQUESTED)
    page = login(ngo).get(reverse("grants:application-edit", args=[application.pk]))
    assert page.status_code == 200
    assert f'href="{app_url(application)}"' in page.content.decode()
