"""Error pages render in every situation Django uses them, even without a request."""

import pytest
from django.template import loader
from django.test import RequestFactory
from django.views import defaults

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["400.html", "500.html"])
def test_error_pages_render_without_a_request_context(name):
    html = loader.get_template(name).render()
    assert "<h1>" in html and "FundApp" in html


def test_the_server_error_page_is_served_as_html():
    response = defaults.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content


def test_an_unknown_page_gets_the_friendly_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_a_forbidden_page_explains_the_missing_role(as_ngo):
    response = as_ngo.get("/manage/calls/")
    assert response.status_code == 403
    assert b"does not have the role" in response.content
