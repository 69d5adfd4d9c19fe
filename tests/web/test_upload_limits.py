"""Upload limits hold while the body arrives: an oversized upload is refused (400 in the
API, a form error on the attachments form, the 413 page elsewhere) without reading it,
nothing is saved, and never a 500."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from fundapp.accounts.services import token_create

from grants.models import Attachment
from tests.factories import PDF_BYTES, ApplicationFactory
from tests.wsgi import MB, post_unread

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def draft(organisation):
    return ApplicationFactory(organisation=organisation)


def test_a_60_mb_api_upload_is_refused_before_its_body_is_read(ngo, draft):
    _token, key = token_create(user=ngo)
    code, headers, content, body = post_unread(
        f"/api/v1/applications/{draft.pk}/attachments/",
        HTTP_AUTHORIZATION=f"Token {key}")
    assert code == 400
    assert json.loads(content) == {"file": ["The file is larger than 10 MB."]}
    assert headers["Connection"] == "close"
    assert body.reads == 0
    assert not Attachment.objects.exists()


def test_a_60_mb_web_upload_is_refused_before_its_body_is_read(client, ngo, draft):
    client.force_login(ngo, backend="django.contrib.auth.backends.ModelBackend")
    session = client.cookies["sessionid"].value
    code, _headers, content, body = post_unread(
        reverse("grants:attachment-upload", args=[draft.pk]),
        HTTP_COOKIE=f"sessionid={session}", HTTP_HX_REQUEST="true")
    assert body.reads == 0
    assert code == 200  # the attachments partial, as for any refused file
    assert "larger than 10 MB" in content.decode()
    assert not Attachment.objects.exists()


def test_another_upload_route_keeps_its_own_limit(client, secretariat):
    client.force_login(secretariat, backend="django.contrib.auth.backends.ModelBackend")
    session = client.cookies["sessionid"].value
    code, _headers, content, body = post_unread(reverse("grants:sanctions-lists"),
                                              HTTP_COOKIE=f"sessionid={session}")
    assert (code, body.reads) == (413, 0)
    assert "larger than 50 MB" in content.decode()


def test_an_11_mb_api_upload_is_refused_with_400(api_as, ngo, draft):
    big = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * (11 * MB))
    response = api_as(ngo).post(f"/api/v1/applications/{draft.pk}/attachments/",
                                {"file": big, "kind": "work_plan"}, format="multipart")
    assert response.status_code == 400
    assert response.json() == {"file": ["The file is larger than 10 MB."]}
    assert not Attachment.objects.exists()


def test_a_file_past_the_limit_inside_an_allowed_body_is_stopped_while_parsed(
        api_as, ngo, draft, settings):
    settings.MAX_UPLOAD_BYTES = 1 * MB  # the body (1.1 MB) is under limit + envelope
    big = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * (MB + 100 * 1024))
    response = api_as(ngo).post(f"/api/v1/applications/{draft.pk}/attachments/",
                                {"file": big, "kind": "work_plan"}, format="multipart")
    assert response.status_code == 400
    assert response.json() == {"file": ["The file is larger than 1 MB."]}
    assert not Attachment.objects.exists()


def test_a_web_upload_without_htmx_answers_the_form_with_its_error(as_ngo, draft):
    big = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * (11 * MB))
    response = as_ngo.post(reverse("grants:attachment-upload", args=[draft.pk]),
                           {"kind": "work_plan", "file": big})
    assert response.status_code == 400
    assert "larger than 10 MB" in response.content.decode()
    assert not Attachment.objects.exists()


def test_someone_elses_application_stays_hidden_when_the_upload_is_too_large(
        login, other_ngo, draft):
    big = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * (11 * MB))
    response = login(other_ngo).post(reverse("grants:attachment-upload", args=[draft.pk]),
                                     {"kind": "work_plan", "file": big}, **HTMX)
    assert response.status_code == 404
    assert not Attachment.objects.exists()


def test_uploads_within_the_limit_still_work(api_as, ngo, draft):
    response = api_as(ngo).post(f"/api/v1/applications/{draft.pk}/attachments/",
                                {"file": SimpleUploadedFile("plan.pdf", PDF_BYTES),
                                 "kind": "work_plan"}, format="multipart")
    assert response.status_code == 201, response.content
    assert draft.attachments.count() == 1


def test_the_attachment_cap_answers_409_in_the_api_and_a_form_error_on_the_web(
        api_as, as_ngo, ngo, draft, settings):
    settings.MAX_ATTACHMENTS_PER_APPLICATION = 1
    url = f"/api/v1/applications/{draft.pk}/attachments/"

    def post():
        return api_as(ngo).post(url, {"file": SimpleUploadedFile("plan.pdf", PDF_BYTES),
                                      "kind": "work_plan"}, format="multipart")

    assert post().status_code == 201
    refused = post()
    assert refused.status_code == 409
    assert "at most 1 attachments" in refused.json()["detail"]
    response = as_ngo.post(reverse("grants:attachment-upload", args=[draft.pk]),
                           {"kind": "work_plan", "file": SimpleUploadedFile("b.pdf", PDF_BYTES)},
                           **HTMX)
    assert "at most 1 attachments" in response.content.decode()
    assert draft.attachments.count() == 1


def test_a_broken_multipart_body_is_a_400_with_field_errors_not_a_500(api_as, ngo, draft):
    response = api_as(ngo).generic(
        "POST", f"/api/v1/applications/{draft.pk}/attachments/", b"--x\r\nnot a part",
        content_type="multipart/form-data")  # no boundary
    assert response.status_code == 400
    assert "file" in response.json() or "detail" in response.json()
    assert not Attachment.objects.exists()
