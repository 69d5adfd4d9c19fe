from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction

from .models import Notification


def notify(
    *, recipients: Iterable, kind: str, target: models.Model | None = None,
    data: dict | None = None, dedupe_key: str | None = None,
) -> list[Notification]:
    """Write one outbox row per recipient in the caller's transaction; deliver after commit.

    ``dedupe_key`` (suffixed per recipient) makes an event notify each person at most once.
    """
    target_type = ContentType.objects.get_for_model(target) if target is not None else None
    created = []
    for user in {u.pk: u for u in recipients}.values():
        key = f"{dedupe_key}:{user.pk}" if dedupe_key else None
        if key and Notification.objects.filter(dedupe_key=key).exists():
            continue
        try:
            with transaction.atomic():
                created.append(Notification.objects.create(
                    recipient=user, kind=kind, target_type=target_type,
                    target_id=str(target.pk) if target is not None else "",
                    data=data or {}, language=user.language or "en", dedupe_key=key,
                ))
        except IntegrityError:
            continue
    if created:
        ids = [n.pk for n in created]
        transaction.on_commit(lambda: _dispatch(ids))
    return created


def _dispatch(ids: list[int]) -> None:
    from .tasks import deliver_notification

    for pk in ids:
        deliver_notification.delay(pk)
