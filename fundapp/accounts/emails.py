"""The account's own e-mails: password reset, e-mail change confirmation.

They are not notifications: they go to an address that may not be the account's yet (the
new address of an e-mail change), and their one-time links must not be kept in the outbox
or shown in the in-app list. They share the notifications' look (HTML with a plain-text
alternative) and are written in the person's language and time zone.
"""

import logging
import zoneinfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation

logger = logging.getLogger(__name__)


def _zone(user) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(user.timezone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def build_account_email(*, user, to: str, template: str, context: dict) -> EmailMultiAlternatives:
    """``templates/accounts/email/<template>_subject.txt``, ``.txt`` and ``.html``."""
    base = f"accounts/email/{template}"
    with translation.override(user.language or settings.LANGUAGE_CODE), \
            timezone.override(_zone(user)):
        context = {"user": user, "site_url": settings.SITE_URL, **context}
        subject = " ".join(render_to_string(f"{base}_subject.txt", context).split())
        text = get_template(f"{base}.txt").template.render(Context(context, autoescape=False))
        html = render_to_string(f"{base}.html", context | {"subject": subject})
    message = EmailMultiAlternatives(f"[FundApp] {subject}", text, to=[to])
    message.attach_alternative(html, "text/html")
    return message


def _send(message: EmailMultiAlternatives) -> None:
    try:
        message.send()
    except OSError:  # SMTP down: the person asks again; the page said nothing either way
        logger.exception("Account e-mail %r not sent", message.subject)


def send_account_email(*, user, to: str, template: str, context: dict) -> None:
    """Render now (in the caller's transaction), send once it commits."""
    message = build_account_email(user=user, to=to, template=template, context=context)
    transaction.on_commit(lambda: _send(message))
