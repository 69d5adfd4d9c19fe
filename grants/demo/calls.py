"""Demo calls: the fund's history (calls 1-7 and their decided applications) and the open
call 8.

The history is created directly, since the services rightly refuse anything whose
deadline has passed; the open call goes through ``call_create`` and ``call_publish``.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from fundapp.accounts.models import User
from grants.demo.impact import closed_grants
from grants.models import (
    Application,
    ApplicationPriority,
    ApplicationStatus,
    BudgetLine,
    Call,
    CallPriority,
    CallStatus,
    DocumentKind,
    Grant,
    Screening,
    ScreeningDecision,
)
from grants.services.calls import call_create, call_publish
from grants.services.sanctions import sanctions_check
from grants.services.screening import automatic_checks

OPEN_CALL_NUMBER = 8
MIN_GRANT, MAX_GRANT, MAX_MONTHS = Decimal("20000"), Decimal("60000"), 24


ORDINALS = [("First", "Premier"), ("Second", "Deuxième"), ("Third", "Troisième"),
            ("Fourth", "Quatrième"), ("Fifth", "Cinquième"), ("Sixth", "Sixième"),
            ("Seventh", "Septième"), ("Eighth", "Huitième")]

FUND_EN = (
    "The United Nations Voluntary Trust Fund for Victims of Trafficking in Persons, "
    "especially Women and Children (General Assembly resolution 64/293, managed by UNODC) "
    "gives humanitarian, legal and financial aid to victims through non-governmental "
    "organisations, with a victim-centred approach. It funds direct assistance: victim "
    "identification, legal and administrative assistance, psychological recovery, social "
    "reintegration, shelter and medical care. Grants of USD 20,000 to 60,000 for up to "
    "24 months."
)
FUND_FR = (
    "Le fonds de contributions volontaires des Nations Unies en faveur des victimes de la "
    "traite des personnes, en particulier des femmes et des enfants (résolution 64/293 de "
    "l'Assemblée générale, géré par l'ONUDC), fournit une assistance humanitaire, juridique "
    "et financière aux victimes par l'intermédiaire d'organisations non gouvernementales, "
    "selon une approche centrée sur les victimes : identification, assistance juridique et "
    "administrative, rétablissement psychologique, réinsertion sociale, hébergement et soins "
    "médicaux. Subventions de 20 000 à 60 000 dollars pour une durée maximale de 24 mois."
)

GENERIC_PRIORITIES = [
    {"code": "direct-assistance", "name_en": "Direct assistance to victims",
     "name_fr": "Assistance directe aux victimes", "weight": Decimal("1")},
    {"code": "women-children", "name_en": "Women and children",
     "name_fr": "Femmes et enfants", "weight": Decimal("1")},
]

PRIORITIES_2023 = [
    {"code": "armed-conflict",
     "name_en": "Direct assistance to and protection of victims of trafficking in armed "
                "conflict",
     "name_fr": "Assistance directe et protection des victimes de la traite dans les conflits "
                "armés"},
    {"code": "mass-movements",
     "name_en": "Victims in mass movements of refugees and migrants, or fleeing the collapse "
                "of public order",
     "name_fr": "Victimes dans les déplacements massifs de personnes réfugiées et migrantes, "
                "ou fuyant l'effondrement de l'ordre public"},
    {"code": "climate-displacement",
     "name_en": "Victims in areas affected by climate-change-induced displacement",
     "name_fr": "Victimes dans les zones touchées par les déplacements induits par les "
                "changements climatiques"},
    {"code": "women-girls", "name_en": "Projects focused on women and girls",
     "name_fr": "Projets axés sur les femmes et les filles"},
    {"code": "underserved", "name_en": "Underserved and left-behind groups",
     "name_fr": "Groupes peu aidés et laissés-pour-compte"},
]
OPEN_CALL_WEIGHTS = {"armed-conflict": "1.5", "mass-movements": "1.5",
                     "climate-displacement": "1.25", "women-girls": "2", "underserved": "1.25"}


@dataclass(frozen=True)
class HistoricCall:
    number: int
    opens: str
    closes: str
    status: str
    envelope: str
    note_en: str = ""
    note_fr: str = ""
    priorities: list = field(default_factory=lambda: GENERIC_PRIORITIES)


# Calls 1-5: dates are illustrative. Calls 6 and 7 follow the Secretary-General's 2023
# report (A/78/…, section V, paragraphs 67-71).
HISTORY = [
    HistoricCall(1, "2011-02-15", "2011-04-15", CallStatus.ARCHIVED, "750000"),
    HistoricCall(2, "2012-10-01", "2012-11-30", CallStatus.ARCHIVED, "750000"),
    HistoricCall(3, "2014-06-02", "2014-07-31", CallStatus.ARCHIVED, "900000"),
    HistoricCall(4, "2016-03-01", "2016-04-29", CallStatus.ARCHIVED, "900000"),
    HistoricCall(5, "2018-10-01", "2018-11-30", CallStatus.ARCHIVED, "1000000"),
    HistoricCall(
        6, "2021-02-01", "2021-03-31", CallStatus.ARCHIVED, "1000000",
        "Projects for 2021-2022: the call funded 24 NGO projects in 19 countries.",
        "Projets pour 2021-2022 : l'appel a financé 24 projets d'ONG dans 19 pays."),
    # Closed, awaiting the Board: the demo's open meeting decides it (closing the session
    # moves the call to "decided").
    HistoricCall(
        7, "2023-01-27", "2023-03-10", CallStatus.CLOSED, "1000000",
        "Priority to direct assistance and protection for victims of armed conflict, of mass "
        "movements of refugees and migrants or fleeing the collapse of public order, in areas "
        "hit by climate-change-induced displacement; projects focused on women and girls and "
        "on underserved and left-behind groups.",
        "Priorité à l'assistance directe et à la protection des victimes des conflits armés, "
        "des déplacements massifs de personnes réfugiées et migrantes ou fuyant l'effondrement "
        "de l'ordre public, dans les zones touchées par les déplacements induits par les "
        "changements climatiques ; projets axés sur les femmes et les filles et sur les "
        "groupes peu aidés et laissés-pour-compte.",
        [p | {"weight": Decimal("1")} for p in PRIORITIES_2023]),
]

# (call number, ngo username, status, title, requested USD, months, priority codes).
# The 6th call's approvals became its grants VTF-6-001 and VTF-6-002, run in 2021-2022 and
# closed like the call's other grants (grants.demo.impact).
# Call 7 is still before its Board meeting: these four left the round before review
# (withdrawn by the NGO, or found ineligible at screening); the reviewed ones come from
# grants.demo.ranking.
HISTORIC_APPLICATIONS = [
    (6, "ngo1", ApplicationStatus.APPROVED,
     "Shelter and legal aid for women returned from trafficking routes", "45000", 12,
     ["direct-assistance", "women-children"]),
    (6, "ngo6", ApplicationStatus.APPROVED,
     "Identification of victims on fishing vessels and in seafood processing", "52000", 12,
     ["direct-assistance"]),
    (6, "ngo5", ApplicationStatus.DECLINED,
     "Livelihoods for repatriated survivors of labour exploitation", "60000", 18,
     ["direct-assistance"]),
    (7, "ngo1", ApplicationStatus.WITHDRAWN,
     "Protection of women and girls displaced by conflict in north-east Nigeria", "58000", 24,
     ["armed-conflict", "women-girls"]),
    (7, "ngo3", ApplicationStatus.INELIGIBLE,
     "Safe accommodation for displaced women at risk of trafficking", "60000", 24,
     ["armed-conflict", "mass-movements", "women-girls"]),
    (7, "ngo4", ApplicationStatus.WITHDRAWN,
     "Legal and psychosocial aid for survivors at the Colombia-Venezuela border", "48000", 18,
     ["mass-movements"]),
    (7, "ngo7", ApplicationStatus.INELIGIBLE,
     "Reintegration of returned women in rural Moldova", "35000", 12, ["underserved"]),
]
INELIGIBLE_REASONS = (
    "The registration certificate and the project budget required by the call were not "
    "attached before the deadline.")


def _utc(day: str, hour: int = 12) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


def history(secretariat: User, ngos: dict[str, User], created: list[str]) -> None:
    """Calls 1-7, then their decided (or withdrawn, or screened-out) applications."""
    for spec in HISTORY:
        _historic_call(spec, secretariat, created)
    for row in HISTORIC_APPLICATIONS:
        _historic_application(*row, secretariat=secretariat, ngos=ngos, created=created)


def _historic_call(spec: HistoricCall, secretariat: User, created: list[str]) -> Call:
    call = Call.objects.filter(number=spec.number).first()
    if call is not None:
        return call
    en, fr = ORDINALS[spec.number - 1]
    year = spec.opens[:4]
    opens, closes = _utc(spec.opens, 9), _utc(spec.closes, 23)
    call = Call.objects.create(
        number=spec.number, status=spec.status,
        title_en=f"{en} global call for proposals ({year})",
        title_fr=f"{fr} appel mondial à propositions ({year})",
        description_en=f"{FUND_EN}\n\n{spec.note_en}".strip(),
        description_fr=f"{FUND_FR}\n\n{spec.note_fr}".strip(),
        opens_at=opens, closes_at=closes, published_at=opens, closed_at=closes,
        envelope_usd=Decimal(spec.envelope), min_grant_usd=MIN_GRANT,
        max_grant_usd=MAX_GRANT, max_duration_months=MAX_MONTHS,
        required_documents=[DocumentKind.REGISTRATION_CERTIFICATE,
                            DocumentKind.PROJECT_BUDGET],
        created_by=secretariat,
    )
    CallPriority.objects.bulk_create([
        CallPriority(call=call, position=i, **p) for i, p in enumerate(spec.priorities)])
    created.append(f"call {spec.number}")
    return call


def _historic_application(number, ngo, status, title, amount, months, codes, *,
                          secretariat, ngos, created) -> None:
    org = ngos[ngo].membership.organisation
    call = Call.objects.get(number=number)
    app = Application.objects.filter(call=call, organisation=org, title=title).first()
    if app is None:
        app = _new_historic_application(call, org, ngos[ngo], status, title, amount,
                                        months, codes, secretariat, created)
    if (app.status == ApplicationStatus.APPROVED and call.status == CallStatus.ARCHIVED
            and not Grant.objects.filter(application=app).exists()):
        grant = closed_grants(call, [app], secretariat)[0]
        created.append(f"grant {grant.agreement_number} (closed)")


def _new_historic_application(call, org, author, status, title, amount, months, codes,
                              secretariat, created) -> Application:
    amount = Decimal(amount)
    app = Application.objects.create(
        call=call, organisation=org, created_by=author, title=title,
        summary=title + ".", countries=[org.country.code], requested_usd=amount,
        duration_months=months, start_date=call.closes_at.date() + timedelta(days=120),
        beneficiaries_women=60, beneficiaries_girls=30, services=["shelter", "legal"],
        status=status, submitted_at=call.closes_at - timedelta(days=3),
        reference=f"VTF{call.number}-{call.next_sequence:04d}",
    )
    Call.objects.filter(pk=call.pk).update(next_sequence=call.next_sequence + 1)
    # Drafted before the deadline, not on the day the demo is loaded.
    Application.objects.filter(pk=app.pk).update(
        created_at=call.closes_at - timedelta(days=20), updated_at=app.submitted_at)
    BudgetLine.objects.bulk_create([
        BudgetLine(application=app, category="direct_assistance", position=0,
                   description="Direct assistance", amount=amount * Decimal("0.6")),
        BudgetLine(application=app, category="personnel", position=1,
                   description="Staff", amount=amount * Decimal("0.4")),
    ])
    priorities = {p.code: p for p in call.priorities.all()}
    decided = status in (ApplicationStatus.APPROVED, ApplicationStatus.DECLINED)
    ApplicationPriority.objects.bulk_create([
        ApplicationPriority(application=app, priority=priorities[code],
                            confirmed=True if decided else None,
                            justification="Addressed throughout the project.")
        for code in codes])
    if status == ApplicationStatus.WITHDRAWN:
        Application.objects.filter(pk=app.pk).update(
            withdrawn_at=call.closes_at + timedelta(days=10))
    elif status == ApplicationStatus.INELIGIBLE:
        _screened_out(app, secretariat)
    created.append(f"application {app.reference}")
    return app


def _screened_out(app: Application, secretariat: User) -> None:
    """The secretariat's record of an ineligible application: checks and reasons."""
    checks = [*automatic_checks(app), sanctions_check(sanctions_list=None, matches=[])]
    decided_at = app.call.closes_at + timedelta(days=14)
    Screening.objects.create(
        application=app, checks=checks, checked_at=decided_at,
        checked_by=secretariat, decision=ScreeningDecision.INELIGIBLE,
        reasons=INELIGIBLE_REASONS, decided_by=secretariat, decided_at=decided_at)


def open_call(secretariat: User, created: list[str], stderr=None) -> Call:
    """Call 8, open now (twelve days left: it shows in the secretariat's "calls closing
    within 14 days"), with the 2023 priorities weighted."""
    call = Call.objects.filter(number=OPEN_CALL_NUMBER).first()
    if call is not None:
        if not call.is_accepting_submissions() and stderr is not None:
            stderr.write(f"note: call {OPEN_CALL_NUMBER} no longer accepts "
                         "submissions; start from a fresh database (make clean).")
        return call
    now = timezone.now().replace(second=0, microsecond=0)
    closes = (now + timedelta(days=12)).replace(hour=23, minute=59)
    en, fr = ORDINALS[OPEN_CALL_NUMBER - 1]
    call = call_create(actor=secretariat, values={
        "number": OPEN_CALL_NUMBER,
        "title_en": f"{en} global call for proposals ({now.year})",
        "title_fr": f"{fr} appel mondial à propositions ({now.year})",
        "description_en": FUND_EN + "\n\nDemonstration call: open now, so that the "
                          "submission journey can be tried.",
        "description_fr": FUND_FR + "\n\nAppel de démonstration : ouvert maintenant, "
                          "pour essayer le dépôt d'une demande.",
        "opens_at": now - timedelta(days=7), "closes_at": closes,
        "envelope_usd": Decimal("1000000"), "min_grant_usd": MIN_GRANT,
        "max_grant_usd": MAX_GRANT, "max_duration_months": MAX_MONTHS,
        "required_documents": [DocumentKind.REGISTRATION_CERTIFICATE,
                               DocumentKind.PROJECT_BUDGET],
        "eligible_countries": [],
    }, priorities=[p | {"weight": Decimal(OPEN_CALL_WEIGHTS[p["code"]])}
                   for p in PRIORITIES_2023])
    call = call_publish(actor=secretariat, call=call)
    created.append(f"call {OPEN_CALL_NUMBER} (open)")
    return call
