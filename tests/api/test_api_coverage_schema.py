"""The endpoints that bring the API level with the pages are in the OpenAPI schema, with
their requests, their answers (PDFs as binary) and their errors."""

import pytest
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db

PDFS = ["/api/v1/applications/{id}/decision-letter/", "/api/v1/grants/{id}/agreement/",
        "/api/v1/contributions/{id}/receipt/", "/api/v1/reports/annual/{year}/"]


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def operation(schema, path, method="get") -> dict:
    return schema["paths"][path][method]


@pytest.mark.parametrize("path", PDFS)
def test_each_pdf_is_a_binary_answer_with_its_errors(schema, path):
    responses = operation(schema, path)["responses"]
    assert responses["200"]["content"]["application/pdf"]["schema"] == {
        "type": "string", "format": "binary"}
    assert {"401", "403", "404"} <= set(responses)


def test_the_briefing_pack_is_the_portfolio_s_pdf_file(schema):
    op = operation(schema, "/api/v1/calls/{id}/portfolio/export/{fmt}/")
    fmt = next(p for p in op["parameters"] if p["name"] == "fmt")
    assert "pdf" in fmt["schema"]["enum"] and "briefing pack" in op["summary"]


def test_registration_documents_its_body_and_answers(schema):
    op = operation(schema, "/api/v1/auth/register/", "post")
    assert {"201", "400", "429"} <= set(op["responses"])
    body = op["requestBody"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
    fields = schema["components"]["schemas"][body]
    assert {"username", "email", "password", "organisation"} <= set(fields["required"])


def test_preferences_deliveries_and_resend_are_documented(schema):
    assert {"get", "patch"} <= set(schema["paths"]["/api/v1/me/notification-preferences/"])
    deliveries = operation(schema, "/api/v1/notifications/deliveries/")
    names = {p["name"] for p in deliveries["parameters"]}
    assert {"status", "kind", "recipient", "page"} <= names
    resend = operation(schema, "/api/v1/notifications/deliveries/{id}/resend/", "post")
    assert {"200", "404", "409"} <= set(resend["responses"])


def test_the_impact_figures_are_documented(schema):
    answer = operation(schema, "/api/v1/reports/impact/")["responses"]["200"]
    ref = answer["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
    assert {"per_year", "by_group", "by_country"} <= set(
        schema["components"]["schemas"][ref]["properties"])
