from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import Context
from django.template.loader import get_template
from django.utils import timezone, translation

from .kinds import kind as kind_of
from .models import DeliveryState, Notification


def render_notification(n: Notification) -> tuple[str, str]:
    """Subject and plain-text message in the recipient's language."""
    with translation.override(n.language):
        subject = str(kind_of(n.kind).subject).format(**n.data)
        context = {"n": n, "data": n.data, "user": n.recipient, "site_url": settings.SITE_URL}
        message = _render_text(f"notifications/messages/{n.kind}.txt", context).strip()
    return subject, message


def _render_text(name: str, context: dict) -> str:
    """Plain-text templates: no HTML escaping of names such as "Women & Girls"."""
    return get_template(name).template.render(Context(context, autoescape=False))


@shared_task(name="notifications.deliver")
def deliver_notification(notification_id: int) -> None:
    with transaction.atomic():
        n = (Notification.objects.select_for_update().select_related("recipient")
             .filter(pk=notification_id).first())
        if n is None or n.state == DeliveryState.SENT:
            return
        n.attempts += 1
        subject, message = render_notification(n)
        with translation.override(n.language):
            body = _render_text("notifications/email/body.txt", {
                "message": message, "user": n.recipient, "data": n.data,
                "site_url": settings.SITE_URL,
            })
        if n.recipient.email:
            EmailMultiAlternatives(f"[FundApp] {subject}", body, to=[n.recipient.email]).send()
        n.state = DeliveryState.SENT
        n.sent_at = timezone.now()
        n.save(update_fields=["state", "sent_at", "attempts"])
