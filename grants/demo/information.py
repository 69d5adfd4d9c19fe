"""Demo: an open request for information on ngo1's submitted application to the open call 8,
due in 7 days, so ``ngo1`` can answer and resubmit it (issue 14). Idempotent: an
application that was ever asked is left alone. After the services ran, the submission is
dated four days ago and the request two and a half days ago, before the demo's messages
that speak of them (``grants/demo/conversations.py``)."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from fundapp.accounts.models import User
from fundapp.core.models import AuditEvent
from grants.demo.applications import OPEN_APPLICATIONS
from grants.models import Application, ApplicationStatus, InformationRequest
from grants.services.information import information_request

DEMO_MESSAGE = (
    "Please upload the 2025 audited financial statements and explain the shelter rent line: "
    "USD 22,000 over 24 months is above what partners in Lagos usually pay. Is the rent "
    "shared with another programme? You can change the budget line and its description "
    "and resubmit the application.")


@transaction.atomic
def information_stage() -> list[str]:
    spec = next(s for s in OPEN_APPLICATIONS if s.ngo == "ngo1" and s.submit)
    ngo1 = User.objects.filter(username="ngo1").select_related("membership").first()
    secretariat = User.objects.filter(username="secretariat").first()
    if ngo1 is None or secretariat is None:
        return []
    app = Application.objects.filter(call__number=8, title=spec.title,
                                     organisation=ngo1.membership.organisation).first()
    if (app is None or app.status != ApplicationStatus.SUBMITTED
            or InformationRequest.objects.filter(application=app).exists()):
        return []
    last_event = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    request = information_request(actor=secretariat, application=app, message=DEMO_MESSAGE,
                                  due_on=timezone.localdate() + timedelta(days=7))
    _backdate(app, request, last_event)
    return [f"request for information on {app.reference}, due in 7 days"]


def _backdate(app: Application, request: InformationRequest, last_event: int) -> None:
    """Submitted 4 days ago, asked 60 hours ago (the thread's messages are 70 h and later)."""
    now = timezone.now()
    submitted, asked = now - timedelta(days=4), now - timedelta(hours=60)
    events = AuditEvent.objects.filter(target_type=ContentType.objects.get_for_model(app),
                                       target_id=str(app.pk))
    events.filter(pk__lte=last_event, created_at__gt=submitted).update(created_at=submitted)
    events.filter(pk__gt=last_event).update(created_at=asked)
    Application.objects.filter(pk=app.pk).update(submitted_at=submitted)
    Application.objects.filter(pk=app.pk, created_at__gt=submitted).update(
        created_at=submitted - timedelta(hours=2))
    InformationRequest.objects.filter(pk=request.pk).update(requested_at=asked)
