"""The OpenAPI schema says what the API does: fields that can be null are nullable, plain
lists are not documented as pages, and the error answers are documented."""

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from tests.factories import CallFactory

pytestmark = pytest.mark.django_db
METHODS = {"get", "put", "post", "patch", "delete"}


_GENERATED = {}


@pytest.fixture
def schema():
    """Generated once for the module (inside a test, where the suite's settings apply)."""
    if "schema" not in _GENERATED:
        _GENERATED["schema"] = SchemaGenerator().get_schema(request=None, public=True)
    return _GENERATED["schema"]


def prop(schema, component, name):
    return schema["components"]["schemas"][component]["properties"][name]


@pytest.mark.parametrize("component,field", [
    ("Call", "published_at"), ("Call", "closed_at"), ("Question", "published_at"),
    ("Notification", "read_at"), ("Pledge", "received_on"), ("BoardDecision", "decided_at"),
    ("Bank", "confirmed_at"), ("Report", "submitted_at"),
])
def test_fields_that_can_be_null_are_nullable(schema, component, field):
    assert prop(schema, component, field).get("nullable") is True


def test_a_draft_call_really_answers_null_where_the_schema_says_nullable(api_as, secretariat):
    call = CallFactory(status="draft", published_at=None, closed_at=None)
    body = api_as(secretariat).get(f"/api/v1/calls/{call.pk}/").json()
    assert body["published_at"] is None and body["closed_at"] is None


@pytest.mark.parametrize("method,path", [
    ("get", "/api/v1/grants/{id}/disbursements/"),
    ("get", "/api/v1/grants/{id}/reports/"),
    ("post", "/api/v1/applications/{id}/assign-reviewers/"),
])
def test_plain_lists_are_documented_as_arrays_not_pages(schema, method, path):
    body = schema["paths"][path][method]["responses"]["200"]["content"]["application/json"]
    assert body["schema"]["type"] == "array"


def test_every_operation_documents_its_error_answers(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if method not in METHODS:
                continue
            codes = set(operation["responses"])
            assert {"401", "403"} <= codes, (method, path)
            if "{" in path:
                assert "404" in codes, (method, path)
            if "requestBody" in operation:
                assert "400" in codes, (method, path)


def test_the_conflicts_views_document_stay_documented(schema):
    submit = schema["paths"]["/api/v1/applications/{id}/submit/"]["post"]["responses"]
    assert "409" in submit
    assert submit["401"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"}


def test_the_served_schema_carries_the_same_error_answers(secretariat):
    client = APIClient()
    client.force_authenticate(secretariat)
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    served = response.json()
    assert "Error" in served["components"]["schemas"]
    assert "404" in served["paths"]["/api/v1/calls/{id}/"]["get"]["responses"]


def test_the_ballots_400_schema_admits_each_refusal_the_api_gives(schema):
    """A body it cannot read ({"detail"} alone), a missing list ({"votes": [messages]}) and
    refused rows ({"detail", "votes": {id: errors}}) are all documented answers."""
    from jsonschema import validate

    error = schema["components"]["schemas"]["BallotError"]
    assert not error.get("required")
    for body in ({"detail": "Text may not contain NUL characters (\\u0000)."},
                 {"votes": ["A list of votes, one per application."]},
                 {"detail": "Some rows…", "votes": {"42": {"feedback": ["Say why."]}}}):
        validate(body, error)
