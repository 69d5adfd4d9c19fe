"""Reads of requests for information: who may see them, the application page's panel, the
difference an answer made (worded in the reader's language) and the overdue ones.

The secretariat and the application's own organisation (every member, viewers included)
see an application's requests; nobody else does, reviewers and Board members included
(404). The organisation never sees the snapshot nor the state the application returns to
(it would reveal a stage hidden from applicants, see ``applicant_status``).
"""

from decimal import Decimal

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fundapp.accounts.roles import user_can
from fundapp.core.formatting import colon, country_names, date, money
from grants.models import (
    Application,
    ApplicationStatus,
    BudgetCategory,
    DocumentKind,
    InformationRequest,
    Service,
)
from grants.models.applications import INFORMATION_REQUESTABLE
from grants.selectors.applications import get_application_for
from grants.selectors.organisations import organisation_of

FIELD_LABELS = {
    "title": gettext_lazy("Project title"),
    "summary": gettext_lazy("Summary"),
    "countries": gettext_lazy("Countries of implementation"),
    "requested_usd": gettext_lazy("Amount requested"),
    "duration_months": gettext_lazy("Duration (months)"),
    "start_date": gettext_lazy("Planned start date"),
    "services": gettext_lazy("Services offered"),
    "beneficiaries": gettext_lazy("Target beneficiaries"),
    "priorities": gettext_lazy("Call priorities"),
    "budget_lines": gettext_lazy("Budget lines"),
    "attachments": gettext_lazy("Attachments"),
}
GROUP_LABELS = {"women": gettext_lazy("women"), "girls": gettext_lazy("girls"),
                "men": gettext_lazy("men"), "boys": gettext_lazy("boys")}


# --- access -----------------------------------------------------------------------------


def sees_information_requests(user, app: Application) -> bool:
    if user_can(user, "application.screen"):
        return True
    org = organisation_of(user)
    return org is not None and org.pk == app.organisation_id


def get_information_application_for(user, pk) -> Application:
    """The application, if ``user`` may see its requests for information; else 404."""
    app = get_application_for(user, pk)
    if not sees_information_requests(user, app):
        raise Http404
    return app


def information_requests_of(app: Application) -> QuerySet[InformationRequest]:
    """Every request on ``app``, newest first, with the people named on it."""
    return (InformationRequest.objects.filter(application=app)
            .select_related("requested_by", "answered_by").order_by("-requested_at", "-id"))


def may_request_information(user, app: Application) -> bool:
    return (user_can(user, "application.screen") and app.status in INFORMATION_REQUESTABLE
            and getattr(app, "open_info_due_on", None) is None)


def information_panel_for(user, app: Application) -> dict | None:
    """What the application page shows of its requests: the open one, the answered ones
    with their differences (newest first), and whether ``user`` may ask now. One query."""
    if not sees_information_requests(user, app):
        return None
    requests = list(information_requests_of(app))
    open_request = next((r for r in requests if r.is_open), None)
    priorities = {p.code: p.name for p in app.call.priorities.all()}
    answered = [(r, change_rows(r, priorities)) for r in requests if not r.is_open]
    return {"open": open_request, "answered": answered,
            "may_request": may_request_information(user, app),
            "staff": user_can(user, "application.screen")}


def information_requests_overdue() -> QuerySet[InformationRequest]:
    """Open requests past their due date on applications still awaiting the answer (the
    secretariat's work queue)."""
    return (InformationRequest.objects
            .filter(answered_at__isnull=True, due_on__lt=timezone.localdate(),
                    application__status=ApplicationStatus.INFORMATION_REQUESTED)
            .select_related("application__organisation", "application__call")
            .order_by("due_on", "id"))


# --- the difference, worded -------------------------------------------------------------


def _line(line: dict) -> str:
    category = line.get("category")
    label = BudgetCategory(category).label if category in BudgetCategory.values else category
    parts = [str(label), line.get("description") or "", money(Decimal(line["amount"]))]
    return " — ".join(p for p in parts if p)


def _attachment(item: dict) -> str:
    kind = item.get("kind")
    label = DocumentKind(kind).label if kind in DocumentKind.values else kind
    return f"{label}{colon()} {item.get('name')}"


def _value(field: str, value, priorities: dict) -> str:
    if value in (None, "", [], {}):
        return "—"
    if field == "countries":
        return country_names(value)
    if field == "requested_usd":
        return money(Decimal(value))
    if field == "start_date":
        return date(value)
    if field == "services":
        return ", ".join(str(Service(s).label) if s in Service.values else s for s in value)
    if field == "beneficiaries":
        return ", ".join(f"{GROUP_LABELS.get(k, k)} {n}" for k, n in value.items())
    if field == "priorities":
        return ", ".join(priorities.get(code, code) for code in value)
    return str(value)


def _label(field: str, priorities: dict) -> str:
    if field.startswith("justification:"):
        code = field.split(":", 1)[1]
        return _("Justification: %(priority)s") % {"priority": priorities.get(code, code)}
    return str(FIELD_LABELS.get(field, field))


def change_rows(request: InformationRequest, priorities: dict | None = None) -> list[dict]:
    """The answer's changes as rows of ``label``, ``before``, ``after`` (texts in the active
    language; added and removed lines and documents one per line)."""
    priorities = priorities or {}
    rows = []
    for change in request.changes or []:
        field = change.get("field", "")
        if "added" in change:
            render = _line if field == "budget_lines" else _attachment
            before = [render(x) for x in change.get("removed") or []]
            after = [render(x) for x in change.get("added") or []]
            rows.append({"field": field, "label": _label(field, priorities),
                         "before": "\n".join(before) or "—", "after": "\n".join(after) or "—",
                         "removed": before, "added": after})
        else:
            rows.append({"field": field, "label": _label(field, priorities),
                         "before": _value(field, change.get("before"), priorities),
                         "after": _value(field, change.get("after"), priorities)})
    return rows
