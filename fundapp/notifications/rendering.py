"""Turn a notification into words, always in one language chosen by the caller."""

import zoneinfo
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation
from django.utils.html import escape, linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .kinds import kind as kind_of
from .models import Notification


def _one_line(subject: str) -> str:
    """A header holds one line: old data with line breaks must not make delivery fail."""
    return " ".join(str(subject).split())


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    # Markup rendered by the template engine, which escaped every value it put in.
    html: SafeString


@contextmanager
def _for_person(user, language: str):
    """Words in ``language``, dates and times in the person's own time zone."""
    try:
        zone = zoneinfo.ZoneInfo(getattr(user, "timezone", "") or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    with translation.override(language or settings.LANGUAGE_CODE), timezone.override(zone):
        yield


def _context(n: Notification) -> dict:
    definition = kind_of(n.kind)
    context = {"n": n, "data": n.data, "user": n.recipient, "site_url": settings.SITE_URL}
    if definition.context is not None:
        context |= definition.context(n.data)
    return context


def _render_text(name: str, context: dict) -> str:
    """Plain-text templates: no HTML escaping of names such as "Women & Girls"."""
    return get_template(name).template.render(Context(context, autoescape=False))


def _render_html_message(n: Notification, context: dict, text: str) -> SafeString:
    try:
        html = render_to_string(f"notifications/messages/{n.kind}.html", context).strip()
    except TemplateDoesNotExist:
        html = linebreaks(escape(text))
    return mark_safe(html)  # noqa: S308 - template output or escaped text


def render_notification(n: Notification, language: str | None = None) -> Rendered:
    """Subject, plain-text and HTML message in ``language`` (default: the row's language)."""
    with _for_person(n.recipient, language or n.language):
        context = _context(n)
        # The kind's context may word a figure of the data in the reader's language.
        subject = str(kind_of(n.kind).subject).format_map(_Blank(n.data | context))
        text = _render_text(f"notifications/messages/{n.kind}.txt", context).strip()
        html = _render_html_message(n, context, text)
    return Rendered(subject=subject, text=text, html=html)


def build_email(n: Notification) -> EmailMultiAlternatives:
    """The e-mail for one notification: plain text with an HTML alternative."""
    rendered = render_notification(n)
    with _for_person(n.recipient, n.language):
        context = {"subject": rendered.subject, "message": rendered.text,
                   "message_html": rendered.html, "user": n.recipient, "data": n.data,
                   "n": n, "site_url": settings.SITE_URL,
                   "action_label": kind_of(n.kind).action or _("Open in FundApp")}
        body = _render_text("notifications/email/body.txt", context)
        html = render_to_string("notifications/email/body.html", context)
    message = EmailMultiAlternatives(_one_line(f"[FundApp] {rendered.subject}"), body,
                                     to=[n.address])
    message.attach_alternative(html, "text/html")
    return message


def build_digest(user, notifications: list[Notification]) -> EmailMultiAlternatives:
    """One e-mail gathering several notifications, in the person's current language."""
    language = user.language or settings.LANGUAGE_CODE
    items = [(n, render_notification(n, language)) for n in notifications]
    with _for_person(user, language):
        context = {"user": user, "items": items, "site_url": settings.SITE_URL,
                   "count": len(items)}
        subject = _render_text("notifications/email/digest_subject.txt", context).strip()
        body = _render_text("notifications/email/digest.txt", context)
        html = render_to_string("notifications/email/digest.html", context)
    message = EmailMultiAlternatives(_one_line(f"[FundApp] {subject}"), body,
                                     to=[user.email])
    message.attach_alternative(html, "text/html")
    return message
