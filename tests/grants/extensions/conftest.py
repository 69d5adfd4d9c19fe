from datetime import timedelta

import pytest
from django.utils import timezone

from grants.models import CallStatus
from tests.factories import CallFactory, complete_application


@pytest.fixture
def closed_call(db):
    """A call closed yesterday (the periodic task has closed it)."""
    now = timezone.now()
    return CallFactory(opens_at=now - timedelta(days=40), closes_at=now - timedelta(days=1),
                       status=CallStatus.CLOSED)


@pytest.fixture
def late_draft(organisation, closed_call):
    """A complete draft of ``organisation`` on the closed call."""
    return complete_application(organisation=organisation, call=closed_call)


@pytest.fixture
def other_late_draft(other_organisation, closed_call):
    return complete_application(organisation=other_organisation, call=closed_call)


def in_days(days: float):
    return timezone.now() + timedelta(days=days)
