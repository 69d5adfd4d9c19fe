"""Celery tasks: thin wrappers that take ids and call services.

Deliveries are acknowledged late and idempotent (the service locks the row and skips it once
sent), so a message delivered twice, a worker lost mid-task or a sweep racing a retry all
end in one e-mail.
"""

from celery import shared_task

from . import services

DELIVERY_LIMITS = {"acks_late": True, "soft_time_limit": 60, "time_limit": 90}


def _retry_or_settle(task, deferred: services.DeliveryDeferred) -> None:
    """Retry with back-off through the broker; in eager mode the sweep tries again later."""
    if task.request.is_eager:
        return
    raise task.retry(exc=deferred.cause, countdown=deferred.countdown)


@shared_task(bind=True, name="notifications.deliver", max_retries=services.MAX_ATTEMPTS,
             **DELIVERY_LIMITS)
def deliver_notification(self, notification_id: int) -> None:
    try:
        services.notification_deliver(notification_id=notification_id)
    except services.DeliveryDeferred as deferred:
        _retry_or_settle(self, deferred)


@shared_task(bind=True, name="notifications.deliver_batch", acks_late=True,
             soft_time_limit=300, time_limit=360)
def deliver_notifications(self, notification_ids: list[int]) -> int:
    """Deliver a batch (``services.dispatch``): each row in its own transaction, exactly as
    ``deliver_notification`` would; a row whose delivery is deferred is retried on its own
    (after its back-off), the others are not sent again. Returns how many were tried."""
    for pk in notification_ids:
        try:
            services.notification_deliver(notification_id=pk)
        except services.DeliveryDeferred as deferred:
            if not self.request.is_eager:  # eager: the sweep tries again later
                deliver_notification.apply_async((pk,), countdown=deferred.countdown)
    return len(notification_ids)


@shared_task(name="notifications.sweep", acks_late=True, soft_time_limit=60, time_limit=90)
def sweep_pending(stranded: bool = False) -> int:
    """The periodic sweep (beat); ``stranded=True`` when a worker (re)connects."""
    return services.notifications_sweep(stranded=stranded)


@shared_task(bind=True, name="notifications.send_digest", max_retries=services.MAX_ATTEMPTS,
             **DELIVERY_LIMITS)
def send_digest(self, user_id: int) -> int:
    try:
        return services.digest_send(user_id=user_id)
    except services.DeliveryDeferred as deferred:
        _retry_or_settle(self, deferred)
        return 0


@shared_task(name="notifications.daily_digest", acks_late=True, soft_time_limit=120,
             time_limit=180)
def daily_digest() -> int:
    """Fan out one digest task per person with notifications held for the digest."""
    users = services.digest_recipients()
    for user_id in users:
        send_digest.delay(user_id)
    return len(users)
