"""Expired Idempotency-Key claims are deleted by the daily task; fresh ones stay."""

from datetime import timedelta

import pytest
from django.utils import timezone

from fundapp.core.models import IdempotencyKey
from fundapp.core.tasks import purge_idempotency_keys

pytestmark = pytest.mark.django_db


def test_the_purge_deletes_only_claims_older_than_a_day(ngo):
    now = timezone.now()
    IdempotencyKey.objects.create(user=ngo, key="old", fingerprint="f",
                                  created_at=now - timedelta(hours=25))
    IdempotencyKey.objects.create(user=ngo, key="new", fingerprint="f", created_at=now)
    assert purge_idempotency_keys() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]
    assert purge_idempotency_keys() == 0
