"""OpenAPI postprocessing: document the error answers every operation can give.

Views document their own particular answers (a 409 for a state conflict, a 400 that says
what was wrong) with ``extend_schema(responses=…)``; this hook adds the ones the framework
gives everywhere, where they were not documented already:

- 400 where a request body or query parameters are validated;
- 401 without credentials, 403 for a role that may not use the operation;
- 404 where a path names an object (not visible to you counts as not found), a page
  number is past the last page, or ``?format=`` names no format the operation gives.
"""

from django.utils.translation import gettext as _

METHODS = {"get", "put", "post", "patch", "delete"}


def _error_schema() -> dict:
    return {"type": "object", "additionalProperties": {},
            "description": _('{"detail": "…"} or, for invalid fields, {"field": ["…"]}.')}


def add_error_responses(result, generator, request, public):
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("Error", _error_schema())
    for methods in result.get("paths", {}).values():
        for method, operation in methods.items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            content = _error_content(responses)
            parameters = operation.get("parameters", [])
            locations = {p.get("in") for p in parameters}
            wanted = {
                "401": _("Not signed in (no or an invalid token)."),
                "403": _("Your role may not do this."),
            }
            if "requestBody" in operation or "query" in locations:
                wanted["400"] = _("Invalid data or query parameters.")
            if "path" in locations or any(p.get("name") in ("page", "format")
                                          for p in parameters):
                wanted["404"] = _("Not found, or not visible to you.")
            for code, description in wanted.items():
                responses.setdefault(code, {"description": description, "content": content})
    return result


def _error_content(responses: dict) -> dict:
    """Errors come in JSON, or in the format the operation was asked for (DRF renders them
    with the negotiated renderer: the IATI file's errors are XML when XML was asked for)."""
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for code, response in responses.items():
        if str(code).startswith("2"):
            for media_type in response.get("content", {}):
                if "xml" in media_type and "spreadsheetml" not in media_type:  # not XLSX
                    content.setdefault(media_type, {"schema": {"type": "string"}})
    return content
