"""Upload limits are declared by the views that take files (``@upload_limit``) and read by
the middleware from the view a request resolves to: every upload route keeps its own limit,
and the other routes and methods of the same views are not limited."""

import pytest
from django.test import RequestFactory
from fundapp.accounts.services import token_create

from donors.services.imports import MAX_BYTES
from fundapp.core.upload_limits import _route_for, max_upload_bytes, upload_limit
from grants.services.sanctions import MAX_LIST_BYTES
from grants.views.applications import _attachment_too_large
from tests.factories import ApplicationFactory
from tests.wsgi import MB, post_unread

pytestmark = pytest.mark.django_db


def post_60_mb(path: str, **extra):
    code, _headers, content, body = post_unread(path, **extra)
    return code, content.decode(), body


def _route(method: str, path: str):
    request = RequestFactory().generic(method, path)
    return _route_for(request)[1]


def test_each_upload_route_declares_its_own_limit():
    app = ApplicationFactory()
    assert _route("POST", f"/applications/{app.pk}/attachments/") == (
        max_upload_bytes, _attachment_too_large)
    assert _route("POST", f"/api/v1/applications/{app.pk}/attachments/") == (
        max_upload_bytes, None)
    assert _route("POST", "/manage/sanctions/") == (MAX_LIST_BYTES, None)
    assert _route("POST", "/api/v1/sanctions-lists/") == (MAX_LIST_BYTES, None)
    assert _route("POST", "/funding/contributions/import/") == (MAX_BYTES, None)
    assert _route("POST", "/api/v1/contributions/import/") == (MAX_BYTES, None)


def test_other_methods_and_actions_of_the_same_views_are_not_limited():
    app = ApplicationFactory()
    assert _route("GET", "/api/v1/sanctions-lists/") is None
    assert _route("POST", "/api/v1/contributions/") is None  # a JSON contribution
    assert _route("DELETE", f"/api/v1/applications/{app.pk}/attachments/1/") is None
    assert _route("POST", "/calls/") is None
    assert _route("POST", "/no-such-page/") is None


def test_the_attachment_limit_is_read_per_request(settings):
    settings.MAX_UPLOAD_BYTES = 3 * MB
    assert max_upload_bytes() == 3 * MB


def test_the_declaration_only_marks_the_view():
    def view(request):
        return "answer"

    refusal = object()
    assert upload_limit(5, on_too_large=refusal)(view) is view
    assert (view.upload_limit, view.upload_refusal, view(None)) == (5, refusal, "answer")


def test_the_contribution_import_refuses_a_60_mb_body_unread(client, secretariat):
    client.force_login(secretariat, backend="django.contrib.auth.backends.ModelBackend")
    session = client.cookies["sessionid"].value
    code, content, body = post_60_mb("/funding/contributions/import/",
                                     HTTP_COOKIE=f"sessionid={session}")
    assert (code, body.reads) == (413, 0)
    assert "larger than 25 MB" in content


@pytest.mark.parametrize(("path", "mb"), [("/api/v1/contributions/import/", 25),
                                          ("/api/v1/sanctions-lists/", 50)])
def test_the_api_upload_routes_refuse_a_60_mb_body_unread(secretariat, path, mb):
    _token, key = token_create(user=secretariat)
    code, content, body = post_60_mb(path, HTTP_AUTHORIZATION=f"Token {key}")
    assert (code, body.reads) == (400, 0)
    assert f"larger than {mb} MB" in content
