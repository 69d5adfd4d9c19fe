"""API of message threads: /api/v1/applications/{id}/messages/ and /api/v1/grants/{id}/messages/.

Only the secretariat and the organisation's members see a thread (404 for everyone else,
401 anonymous); viewers read but do not write."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fundapp.notifications.models import Notification
from grants.models import Message, OrgRole, Review
from grants.services.messages import message_post
from tests.factories import PDF_BYTES, ApplicationFactory, ngo_user
from tests.grants.implementation.helpers import make_grant
from tests.grants.messages.helpers import exe, pdf, submitted_application

pytestmark = pytest.mark.django_db

READERS = ["secretariat", "ngo", "editor", "viewer"]
HIDDEN = ["other_ngo", "reviewer", "assigned_reviewer", "board_member", "donor"]


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
    """A reviewer who reads the application itself (assigned, no conflict)."""
    Review.objects.create(application=application, reviewer=reviewer, conflict_declared=False)
    return reviewer


@pytest.fixture
def grant(organisation):
    return make_grant(organisation)


@pytest.fixture
def thread(request, application, grant):
    """(URL of the thread, the keyword the service takes) for each kind of thread."""

    def of(kind: str):
        if kind == "application":
            return f"/api/v1/applications/{application.pk}/messages/", {"application": application}
        return f"/api/v1/grants/{grant.pk}/messages/", {"grant": grant}

    return of


KINDS = ["application", "grant"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("role", READERS)
def test_the_secretariat_and_members_read_the_thread(client_for, thread, secretariat, role, kind):
    url, owner = thread(kind)
    message_post(actor=secretariat, **owner, body="Please send the audited accounts.")
    response = client_for(role).get(url)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [row] = body["results"]
    assert row["body"] == "Please send the audited accounts."
    assert row["author"] == secretariat.pk and row["from_secretariat"] is True
    assert row["read"] is (role == "secretariat")
    assert {"id", "author_name", "created_at", "attachments"} <= row.keys()


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("role", HIDDEN)
def test_everyone_else_gets_a_404(client_for, thread, secretariat, assigned_reviewer, role, kind):
    url, owner = thread(kind)
    message_post(actor=secretariat, **owner, body="Confidential")
    client = client_for(role)
    assert client.get(url).status_code == 404
    assert client.post(url, {"body": "Hello"}, format="json").status_code == 404
    assert client.post(url + "read/").status_code == 404
    assert Message.objects.count() == 1


@pytest.mark.parametrize("kind", KINDS)
def test_anonymous_is_a_401(client_for, thread, kind):
    url, _owner = thread(kind)
    assert client_for("anonymous").get(url).status_code == 401
    assert client_for("anonymous").post(url, {"body": "x"}, format="json").status_code == 401


def test_an_unknown_thread_is_a_404(client_for, secretariat):
    assert client_for("secretariat").get("/api/v1/applications/999999/messages/").status_code == 404
    assert client_for("secretariat").get("/api/v1/grants/999999/messages/").status_code == 404


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("role,side", [("secretariat", True), ("ngo", False), ("editor", False)])
def test_posting_answers_201_and_notifies_the_other_side(client_for, thread, secretariat, ngo,
                                                         editor, viewer, role, side, kind):
    url, _owner = thread(kind)
    response = client_for(role).post(url, {"body": "Our reply"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["from_secretariat"] is side and response.json()["read"] is True
    told = set(Notification.objects.filter(kind="message_posted")
               .values_list("recipient__username", flat=True))
    assert told == ({"ngo", "chidi", "ngozi"} if side else {"sec"})


def test_a_viewer_may_not_post(client_for, thread, viewer):
    url, _owner = thread("application")
    response = client_for("viewer").post(url, {"body": "Hello"}, format="json")
    assert response.status_code == 403
    assert not Message.objects.exists()


def test_a_draft_has_no_thread_to_post_on(client_for, ngo, organisation, open_call):
    draft = ApplicationFactory(organisation=organisation, call=open_call)
    url = f"/api/v1/applications/{draft.pk}/messages/"
    assert client_for("ngo").get(url).json()["count"] == 0
    response = client_for("ngo").post(url, {"body": "Hello"}, format="json")
    assert response.status_code == 409


def test_an_empty_body_is_a_400(client_for, thread, ngo):
    url, _owner = thread("application")
    assert client_for("ngo").post(url, {"body": "  "}, format="json").status_code == 400
    response = client_for("ngo").post(url, {}, format="json")
    assert response.status_code == 400 and "body" in response.json()


def test_files_go_up_as_multipart_and_come_down_through_their_thread(client_for, thread, ngo,
                                                                     other_ngo, secretariat):
    url, _owner = thread("application")
    response = client_for("ngo").post(url, {"body": "Accounts attached",
                                            "files": [pdf("accounts.pdf"), pdf("letter.pdf")]},
                                      format="multipart")
    assert response.status_code == 201, response.content
    files = response.json()["attachments"]
    assert [f["name"] for f in files] == ["accounts.pdf", "letter.pdf"]
    download = files[0]["download"]
    assert download.endswith(f"{url}files/{files[0]['id']}/")
    got = client_for("secretariat").get(download)
    assert got.status_code == 200 and b"".join(got.streaming_content) == PDF_BYTES
    assert got["Content-Disposition"].startswith("attachment")
    assert client_for("other_ngo").get(download).status_code == 404


def test_a_file_is_not_reachable_through_another_thread(client_for, secretariat, ngo, thread,
                                                         organisation, open_call):
    url, owner = thread("application")
    other = submitted_application(organisation, open_call, reference="VTF1-0002")
    message = message_post(actor=secretariat, **owner, body="x", files=[pdf()])
    file_pk = message.attachments.get().pk
    wrong = f"/api/v1/applications/{other.pk}/messages/files/{file_pk}/"
    assert client_for("ngo").get(wrong).status_code == 404
    assert client_for("ngo").get(f"{url}files/{file_pk}/").status_code == 200


def test_a_refused_file_is_a_400_naming_it(client_for, thread, ngo):
    url, _owner = thread("application")
    response = client_for("ngo").post(url, {"body": "x", "files": [exe("run.pdf")]},
                                      format="multipart")
    assert response.status_code == 400
    assert "run.pdf" in response.json()["files"][0]
    assert not Message.objects.exists()


def test_an_empty_file_is_a_400(client_for, thread, ngo):
    url, _owner = thread("application")
    response = client_for("ngo").post(
        url, {"body": "x", "files": [SimpleUploadedFile("a.pdf", b"")]}, format="multipart")
    assert response.status_code == 400


@pytest.mark.parametrize("kind", KINDS)
def test_reading_marks_the_thread_read(client_for, thread, secretariat, ngo, kind):
    url, owner = thread(kind)
    message_post(actor=secretariat, **owner, body="Question")
    client = client_for("ngo")
    assert [m["read"] for m in client.get(url).json()["results"]] == [False]
    assert client.get(url).json()["results"][0]["read"] is False  # a GET changes nothing
    assert client.post(url + "read/").status_code == 204
    assert [m["read"] for m in client.get(url).json()["results"]] == [True]
    assert client_for("editor").get(url).json()["results"][0]["read"] is False


@pytest.mark.parametrize("kind", KINDS)
def test_the_thread_list_is_flat(client_for, thread, secretariat, ngo, kind):
    url, owner = thread(kind)
    client = client_for("ngo")

    def add(n):
        for i in range(n):
            message_post(actor=secretariat if i % 2 else ngo, **owner, body=f"Message {i}",
                         files=[pdf(f"f{i}.pdf")] if i % 3 == 0 else ())

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url + "?page_size=100")
        assert response.status_code == 200
        return len(ctx.captured_queries), len(response.json()["results"])

    add(3)
    small, rows_small = count()
    add(27)
    large, rows_large = count()
    assert (rows_small, rows_large) == (3, 30)
    assert large == small, f"{small} queries for 3 messages, {large} for 30"
    assert small <= 9


def test_pages_of_25(client_for, thread, secretariat):
    url, owner = thread("application")
    for i in range(27):
        message_post(actor=secretariat, **owner, body=f"Message {i}")
    body = client_for("ngo").get(url).json()
    assert body["count"] == 27 and len(body["results"]) == 25 and body["next"]
    assert body["results"][0]["body"] == "Message 0"  # oldest first


def test_another_organisations_grant_is_a_404_for_this_ngo(client_for, ngo, other_organisation):
    theirs = make_grant(other_organisation)
    assert client_for("ngo").get(f"/api/v1/grants/{theirs.pk}/messages/").status_code == 404
