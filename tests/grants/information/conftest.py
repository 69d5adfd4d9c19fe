from datetime import timedelta

import pytest
from django.utils import timezone

from grants.models import ApplicationStatus
from grants.services.information import information_request
from tests.factories import complete_application, ngo_user


@pytest.fixture
def submitted(organisation, open_call):
    """A complete application of ``organisation`` (admin ``ngo``), submitted."""
    app = complete_application(organisation=organisation, call=open_call)
    app.status, app.reference, app.submitted_at = (ApplicationStatus.SUBMITTED, "VTF1-0001",
                                                   timezone.now())
    app.save()
    return app


@pytest.fixture
def editor(organisation):
    return ngo_user(organisation, org_role="editor", username="editor")


@pytest.fixture
def viewer(organisation):
    return ngo_user(organisation, org_role="viewer", username="viewer")


def in_days(n: int):
    return timezone.localdate() + timedelta(days=n)


@pytest.fixture
def asked(submitted, secretariat, ngo):
    """``submitted`` with an open request, due in 7 days."""
    information_request(actor=secretariat, application=submitted, due_on=in_days(7),
                        message="Please upload the 2025 audited financial statements.")
    submitted.refresh_from_db()
    return submitted
