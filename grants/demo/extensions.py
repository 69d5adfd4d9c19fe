"""Demo (issue 14): a deadline extension on ngo1's draft to the closed call 7, and call 9, a
draft cloned from call 8 that opens next year.

The draft is created directly (the services rightly refuse a new application on a closed
call, as ``grants.demo.calls`` does for the history), then filled, given its documents and
extended through the real services, so ``ngo1`` can submit it until the extension ends.
Idempotent: an application that was ever extended, and a call 9 that exists, are left alone.
"""

from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from fundapp.accounts.models import User
from grants.demo.applications import DemoApplication, _pdf, _values
from grants.demo.calls import FUND_EN, FUND_FR
from grants.models import Application, ApplicationStatus, Call, CallStatus, DeadlineExtension
from grants.services.applications import application_update, attachment_add
from grants.services.calls import call_clone, call_update
from grants.services.extensions import deadline_extend

LATE_CALL, CLONED_FROM, CLONE_NUMBER = 7, 8, 9
LATE_DRAFT = DemoApplication(
    "ngo1", "Emergency shelter and case management for trafficking survivors in Maiduguri",
    "Safe accommodation, medical and psychosocial care and case management for women and "
    "girls identified in the camps for displaced people around Maiduguri, Borno State.",
    ["NG"], [("shelter", "Safe house in Maiduguri, 18 months", "21000"),
             ("personnel", "Two caseworkers and a psychologist (part time)", "19500"),
             ("direct_assistance", "Medical care, clothing and transport", "8500"),
             ("monitoring", "Case follow-up and final evaluation", "2500")],
    18, ["shelter", "medical", "psychological", "legal"], {"women": 90, "girls": 70},
    {"armed-conflict": "Every beneficiary fled the conflict in Borno State.",
     "women-girls": "The project serves women and girls only."},
    submit=False)
FLOOD_BEFORE_CLOSE = timedelta(days=8)


def _day(moment: datetime) -> str:
    return f"{moment.day} {moment:%B %Y}"


def extension_reason(call: Call) -> str:
    """The story told by the call's own dates: the flood came days before the call closed
    (10 March 2023 for call 7), and the certificate lost in it took until now to re-issue."""
    closes = call.closes_at
    return (f"Our office in Maiduguri was flooded on {_day(closes - FLOOD_BEFORE_CLOSE)}, "
            f"days before call {call.number} closed on {_day(closes)}: the signed "
            "registration certificate and budget annexes were lost, and the application "
            "prepared for the call could not be submitted. The Corporate Affairs Commission "
            "has now re-issued the certificate. Extended on the programme officer's "
            "recommendation, so that the application is considered with the call's "
            "outstanding files.")


@transaction.atomic
def extensions_stage() -> list[str]:
    secretariat = User.objects.filter(username="secretariat").first()
    ngo1 = User.objects.filter(username="ngo1").select_related("membership").first()
    if secretariat is None or ngo1 is None:
        return []
    return [*_late_draft_extended(secretariat, ngo1), *_call_cloned(secretariat)]


def _late_draft_extended(secretariat: User, ngo1: User) -> list[str]:
    call = Call.objects.filter(number=LATE_CALL, status=CallStatus.CLOSED).first()
    if call is None:
        return []
    org = ngo1.membership.organisation
    app = Application.objects.filter(call=call, organisation=org, title=LATE_DRAFT.title).first()
    if app is None:
        app = Application.objects.create(call=call, organisation=org, created_by=ngo1)
        application_update(actor=ngo1, application=app, values=_values(LATE_DRAFT, call)
                           | {"start_date": timezone.localdate() + timedelta(days=90)})
        for kind in LATE_DRAFT.documents:
            attachment_add(actor=ngo1, application=app, kind=kind,
                           uploaded=_pdf(LATE_DRAFT, org, kind))
    if app.status != ApplicationStatus.DRAFT or DeadlineExtension.objects.filter(
            application=app).exists():
        return []
    until = (timezone.now() + timedelta(days=10)).replace(hour=17, minute=0, second=0,
                                                           microsecond=0)
    deadline_extend(actor=secretariat, call=call, application=app, until=until,
                    reason=extension_reason(call))
    return [f"deadline extension on ngo1's draft to call {LATE_CALL}, for 10 days"]


def _call_cloned(secretariat: User) -> list[str]:
    source = Call.objects.filter(number=CLONED_FROM).first()
    if source is None or Call.objects.filter(number=CLONE_NUMBER).exists():
        return []
    year = timezone.now().year + 1
    opens = datetime(year, 2, 2, 9, 0, tzinfo=UTC)
    call = call_clone(actor=secretariat, call=source, number=CLONE_NUMBER, opens_at=opens,
                      closes_at=datetime(year, 3, 31, 23, 0, tzinfo=UTC))
    call_update(actor=secretariat, call=call, values={
        "title_en": f"Ninth global call for proposals ({year})",
        "title_fr": f"Neuvième appel mondial à propositions ({year})",
        "description_en": f"{FUND_EN}\n\nDraft for {year}, cloned from call {CLONED_FROM}: "
                          "review its terms, priorities and rubric before publishing.",
        "description_fr": f"{FUND_FR}\n\nProjet pour {year}, copié de l'appel "
                          f"{CLONED_FROM} : à revoir avant publication."})
    return [f"call {CLONE_NUMBER}: a draft cloned from call {CLONED_FROM}, opens {opens:%Y-%m-%d}"]
