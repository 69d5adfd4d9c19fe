"""The registry of notification kinds. Adding an event is a few lines here plus a template.

Subjects are format strings over the notification's ``data``; the message body is the
template ``notifications/messages/<kind>.txt``, rendered in the recipient's language.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    subject: str
    essential: bool = True  # essential notices cannot be turned off


KINDS: dict[str, Kind] = {
    "application_submitted": Kind(_("Application {reference} received")),
    "application_submitted_staff": Kind(_("New application {reference} submitted")),
    "call_deadline_reminder": Kind(_("Call {call_number} closes in {days} day(s)"),
                                   essential=False),
    "call_closed": Kind(_("Call {call_number} has closed")),
    "organisation_verified": Kind(_("{organisation} is verified")),
    "organisation_rejected": Kind(_("{organisation} could not be verified")),
    "clarification_answered": Kind(_("New clarification published for call {call_number}"),
                                   essential=False),
    "account_verify_email": Kind(_("Confirm your e-mail address")),
}


def kind(name: str) -> Kind:
    return KINDS[name]
