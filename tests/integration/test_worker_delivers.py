"""A real Celery worker, on real Redis, delivers the receipt of an application submitted
through the API."""

from datetime import timedelta

import pytest
from django.utils import timezone

from fundapp.notifications.models import DeliveryState, Notification
from tests.factories import CallFactory, complete_application

from .processes import mails_in, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_an_application_submitted_through_the_api_is_receipted_by_the_worker(
        celery_worker, mail_dir, api_as, ngo, organisation, secretariat):
    call = CallFactory(closes_at=timezone.now() + timedelta(days=5))
    draft = complete_application(call=call, organisation=organisation)

    response = api_as(ngo).post(f"/api/v1/applications/{draft.pk}/submit/")
    assert response.status_code == 200, response.content
    draft.refresh_from_db()

    def delivered():
        messages = mails_in(mail_dir)
        return messages if len(messages) >= 2 else None

    messages = wait_for(delivered, timeout=30, what="the worker's e-mails")
    by_recipient = {m["To"]: m for m in messages}
    assert set(by_recipient) == {ngo.email, secretariat.email}
    receipt = by_recipient[ngo.email]
    assert receipt["Subject"] == f"[FundApp] Application {draft.reference} received"
    assert draft.reference in receipt.get_body(("plain",)).get_content()
    assert receipt.get_body(("html",)) is not None
    assert set(Notification.objects.values_list("state", flat=True)) == {DeliveryState.SENT}


def test_a_fan_out_goes_in_batches_and_each_person_gets_one_email(celery_worker, mail_dir, db):
    from django.db import transaction

    from fundapp.notifications.services import DISPATCH_BATCH, notify
    from tests.factories import UserFactory

    people = [UserFactory(email=f"trustee{i}@example.org") for i in range(DISPATCH_BATCH * 2 + 3)]
    with transaction.atomic():
        notify(recipients=people, kind="organisation_verified",
               data={"organisation": "Hope Shelter", "reason": "", "url": "/organisation/"})

    def delivered():
        messages = mails_in(mail_dir)
        return messages if len(messages) >= len(people) else None

    messages = wait_for(delivered, timeout=60, what="the fan-out's e-mails")
    assert sorted(m["To"] for m in messages) == sorted(p.email for p in people)
    assert set(Notification.objects.values_list("state", flat=True)) == {DeliveryState.SENT}
