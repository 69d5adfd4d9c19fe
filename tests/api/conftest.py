from datetime import timedelta

import pytest
from django.utils import timezone

from grants.models import ApplicationStatus, CallStatus
from tests.factories import ApplicationFactory, CallFactory, complete_application

@pytest.fixture
def client_for(request, api_as):
    """An API client for a role: a user fixture's name, or "anonymous" (no credentials)."""

    def make(role: str):
        user = None if role == "anonymous" else request.getfixturevalue(role)
        return api_as(user)

    return make


@pytest.fixture
def everyone(ngo, other_ngo, secretariat, reviewer, board_member, donor):
    """Create every role's user up front, so role-matrix tests compare like with like."""


@pytest.fixture
def draft_call(db):
    return CallFactory(status=CallStatus.DRAFT)


@pytest.fixture
def past_deadline_call(db):
    """Published, but its deadline passed and no task has closed it yet."""
    return CallFactory(opens_at=timezone.now() - timedelta(days=40),
                       closes_at=timezone.now() - timedelta(seconds=1))


@pytest.fixture
def draft(organisation, open_call):
    return ApplicationFactory(organisation=organisation, call=open_call)


@pytest.fixture
def complete_draft(organisation, open_call):
    return complete_application(organisation=organisation, call=open_call)


@pytest.fixture
def submitted(organisation, open_call):
    app = complete_application(organisation=organisation, call=open_call)
    app.status, app.reference, app.submitted_at = (ApplicationStatus.SUBMITTED, "VTF1-0001",
                                                   timezone.now())
    app.save()
    return app
