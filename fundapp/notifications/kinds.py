"""The registry of notification kinds. Adding an event is a few lines in the app's
``notifications.py`` plus a template.

A kind has a subject (a format string over the notification's ``data``), a label for the
preferences and monitoring pages, and whether it is essential (essential notices cannot be
turned off and are never held back for the daily digest). The message is the template
``notifications/messages/<kind>.txt`` (in-app and plain-text e-mail); an optional
``notifications/messages/<kind>.html`` gives the HTML e-mail its own markup. Both are
rendered in the recipient's language.

Each app declares the kinds it sends in its own ``notifications.py`` with
``register("review_assigned", Kind(...))``, imported once from its ``AppConfig.ready``;
this module keeps only the machinery and the kinds of the ground floor itself.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    subject: str
    label: str
    essential: bool = True
    # Extra template context computed from ``data`` under the recipient's language,
    # e.g. to translate status codes stored in the data.
    context: Callable[[dict], dict] | None = None
    # The words of the e-mail's link to ``data["url"]`` ("Open in FundApp" when unset).
    action: str | None = None


# The ground floor's own kinds. Every app registers the kinds it sends from its
# ``notifications.py`` (imported by its ``AppConfig.ready``): grants/notifications.py,
# donors/notifications.py.
KINDS: dict[str, Kind] = {
    # The account's own e-mail confirmation (its link opens ``accounts:verify-email``).
    "account_verify_email": Kind(
        _("Confirm your e-mail address"), _("E-mail address confirmation"),
        action=_("Confirm my e-mail address")),
    # Two-factor sign-in (fundapp/accounts/two_factor/services.py): the person hears of every
    # change to their factors, so a stolen session cannot quietly swap them.
    "two_factor_enabled": Kind(
        _("Two-factor sign-in turned on"), _("Two-factor sign-in turned on")),
    "two_factor_disabled": Kind(
        _("Two-factor sign-in turned off"), _("Two-factor sign-in turned off")),
    "recovery_codes_regenerated": Kind(
        _("New recovery codes for two-factor sign-in"), _("Recovery codes replaced")),
    "passkey_added": Kind(_("A passkey was added to your account"), _("Passkey added")),
    "passkey_removed": Kind(_("A passkey was removed from your account"), _("Passkey removed")),
    # A password changed or reset (fundapp/accounts/services.py): the person hears of it.
    "account_password_changed": Kind(
        _("Your FundApp password was changed"), _("Password changed")),
    # A background export or import finished (fundapp/core/jobs.py): to the one who started
    # it, with the link to the file (exports) or the job's page.
    "job_done": Kind(_("Ready: {label}"), _("Large export or import finished"),
                     context=lambda data: _job_context(data)),
    "job_failed": Kind(_("Could not be completed: {label}"),
                       _("Large export or import failed"),
                       context=lambda data: _job_context(data)),
}


def _job_context(data: dict) -> dict:
    from django.utils.dateparse import parse_datetime

    return {"expires_at": parse_datetime(data.get("expires_at") or "")}


def kind(name: str) -> Kind:
    return KINDS[name]


def register(name: str, definition: Kind) -> None:
    if name in KINDS and KINDS[name] != definition:
        raise ValueError(f"Notification kind {name!r} is already registered.")
    KINDS[name] = definition


def optional_kinds() -> list[tuple[str, Kind]]:
    """Kinds a person may turn off or receive in the daily digest."""
    return [(name, k) for name, k in KINDS.items() if not k.essential]
