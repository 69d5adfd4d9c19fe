from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEvent


def audit_record(
    *, actor, verb: str, target: models.Model, before: dict | None = None,
    after: dict | None = None, note: str = "",
) -> AuditEvent:
    """Write an audit row; call inside the service's transaction."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        verb=verb,
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
        target_repr=str(target)[:255],
        before=_jsonable(before or {}),
        after=_jsonable(after or {}),
        note=note,
    )


def audit_trail_for(target: models.Model):
    return AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk)
    ).select_related("actor")


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    return {key: _value(val) for key, val in data.items()}


def _value(val: Any) -> Any:
    if isinstance(val, dict):
        return _jsonable(val)
    if isinstance(val, list | tuple):
        return [_value(v) for v in val]
    if val is None or isinstance(val, bool | int | str):
        return val
    return str(val)
