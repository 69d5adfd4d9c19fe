from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from donors.models import ContributionImport
from donors.services.imports import contribution_import_preview
from donors.tasks import check_milestones, purge_import_previews
from fundapp.notifications.models import Notification

from .factories import record

pytestmark = pytest.mark.django_db


def test_the_milestone_task_announces_nothing_twice(sweden, secretariat):
    record(sweden, "800000.00", received_on=date(2024, 4, 1))
    assert check_milestones(2024) == []
    assert Notification.objects.filter(kind="target_milestone").count() == 1


def test_old_previews_that_were_never_imported_are_purged(secretariat, sweden):
    upload = SimpleUploadedFile("a.csv", b"donor,amount,currency,received_on,bank_reference\n"
                                         b"Sweden,1,USD,2024-01-01,R\n")
    batch, _preview = contribution_import_preview(actor=secretariat, uploaded=upload)
    assert purge_import_previews() == 0
    ContributionImport.objects.filter(pk=batch.pk).update(
        created_at=timezone.now() - timedelta(days=8))
    assert purge_import_previews() == 1
    assert not ContributionImport.objects.exists()
