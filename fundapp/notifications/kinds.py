"""The registry of notification kinds. Adding an event is a few lines here plus a template.

A kind has a subject (a format string over the notification's ``data``), a label for the
preferences and monitoring pages, and whether it is essential (essential notices cannot be
turned off and are never held back for the daily digest). The message is the template
``notifications/messages/<kind>.txt`` (in-app and plain-text e-mail); an optional
``notifications/messages/<kind>.html`` gives the HTML e-mail its own markup. Both are
rendered in the recipient's language.

Another app registers its own events with ``register("review_assigned", Kind(...))``
from its ``AppConfig.ready``.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    subject: str
    label: str
    essential: bool = True
    # Extra template context computed from ``data`` under the recipient's language,
    # e.g. to translate status codes stored in the data.
    context: Callable[[dict], dict] | None = None


def _call_closed_context(data: dict) -> dict:
    from grants.models import ApplicationStatus

    counts = []
    for status, number in (data.get("counts") or {}).items():
        label = ApplicationStatus(status).label if status in ApplicationStatus.values else status
        counts.append((str(label), number))
    return {"counts": counts}


def _deadline_context(data: dict) -> dict:
    return {"closes_at": parse_datetime(data.get("closes_at") or "")}


KINDS: dict[str, Kind] = {
    "application_submitted": Kind(
        _("Application {reference} received"), _("Receipt of your application")),
    "application_submitted_staff": Kind(
        _("New application {reference} submitted"), _("New application submitted")),
    "call_deadline_reminder": Kind(
        _("Call {call_number} closes in {days} day(s)"), _("Call deadline reminders"),
        essential=False, context=_deadline_context),
    "call_closed": Kind(
        _("Call {call_number} has closed"), _("Call closed: summary"),
        context=_call_closed_context),
    "organisation_verified": Kind(
        _("{organisation} is verified"), _("Organisation verified")),
    "organisation_rejected": Kind(
        _("{organisation} could not be verified"), _("Organisation not verified")),
    "clarification_answered": Kind(
        _("New clarification published for call {call_number}"),
        _("Answers to questions on calls"), essential=False),
    "account_verify_email": Kind(
        _("Confirm your e-mail address"), _("E-mail address confirmation")),
}


def kind(name: str) -> Kind:
    return KINDS[name]


def register(name: str, definition: Kind) -> None:
    if name in KINDS and KINDS[name] != definition:
        raise ValueError(f"Notification kind {name!r} is already registered.")
    KINDS[name] = definition


def optional_kinds() -> list[tuple[str, Kind]]:
    """Kinds a person may turn off or receive in the daily digest."""
    return [(name, k) for name, k in KINDS.items() if not k.essential]
