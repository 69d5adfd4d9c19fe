"""Demo: an open request for information on ngo1's submitted application to the open call 8,
due in 7 days, so ``ngo1`` can answer and resubmit it (issue 14). Idempotent: an
application that was ever asked is left alone."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from fundapp.accounts.models import User
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
    information_request(actor=secretariat, application=app, message=DEMO_MESSAGE,
                        due_on=timezone.localdate() + timedelta(days=7))
    return [f"request for information on {app.reference}, due in 7 days"]
