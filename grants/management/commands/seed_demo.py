"""Demo data: the fund's history (calls 1-7), one open call, demo users and NGOs.

Idempotent: every object is looked up by its natural key first and only created when
missing, so a second run changes nothing. Writes go through the services wherever a
service exists (registration, verification, call creation and publication, drafting,
attachments, submission), so the rules are checked and audit rows are written. The
history (calls 1-7 and their decided applications) is created directly, since the
services rightly refuse anything whose deadline has passed.
"""

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from fundapp.accounts.models import User
from fundapp.accounts.roles import Role, grant_role
from fundapp.core.errors import FundError
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
    Organisation,
    Screening,
    ScreeningDecision,
)
from grants.demo_impact import closed_grants
from grants.models.organisations import VERIFICATION_CHECKS
from grants.services.applications import (
    application_create,
    application_submit,
    attachment_add,
)
from grants.services.calls import call_create, call_publish
from grants.services.sanctions import sanctions_check
from grants.services.screening import automatic_checks
from grants.services.organisations import (
    EMAIL_TOKEN_SALT,
    email_verify,
    ngo_register,
    organisation_verify,
)

SITE = settings.SITE_URL.rstrip("/")
OPEN_CALL_NUMBER = 8
MIN_GRANT, MAX_GRANT, MAX_MONTHS = Decimal("20000"), Decimal("60000"), 24


# --- People ---------------------------------------------------------------------------

@dataclass(frozen=True)
class StaffSpec:
    username: str
    first_name: str
    last_name: str
    role: str
    try_first: str
    is_staff: bool = False


REVIEWER_HINT = "My reviews: call 7's scored reviews (declare, score, submit)"
BOARD_HINT = "Board: call 7 meeting, vote on each item; Ranking: breakdown and briefing PDF"
STAFF = [
    StaffSpec("secretariat", "Demo", "Secretariat", Role.SECRETARIAT,
              "Ranking: call 7 funding line and portfolio; Screening; verify ngo2's "
              "organisation; Contributions; /admin/",
              is_staff=True),
    StaffSpec("reviewer1", "Demo", "Reviewer One", Role.REVIEWER, REVIEWER_HINT),
    StaffSpec("reviewer2", "Demo", "Reviewer Two", Role.REVIEWER, REVIEWER_HINT),
    StaffSpec("reviewer3", "Demo", "Reviewer Three", Role.REVIEWER, REVIEWER_HINT),
    StaffSpec("chair", "Demo", "Chair", Role.BOARD,
              "Board: call 7 meeting (3 trustees voted): vote, close, grants are created"),
    StaffSpec("trustee1", "Demo", "Trustee One", Role.BOARD, BOARD_HINT),
    StaffSpec("trustee2", "Demo", "Trustee Two", Role.BOARD, BOARD_HINT),
    StaffSpec("trustee3", "Demo", "Trustee Three", Role.BOARD, BOARD_HINT),
    StaffSpec("trustee4", "Demo", "Trustee Four", Role.BOARD, BOARD_HINT),
    StaffSpec("donor1", "Demo", "Donor", Role.DONOR,
              "Donor portal: Luxembourg's pledges, contributions and receipts (in French)"),
]


@dataclass(frozen=True)
class NgoSpec:
    username: str
    last_name: str
    language: str
    tz: str
    verified: bool
    org: dict
    try_first: str = ""


def _org(name, country, number, founded, budget, city, track_record) -> dict:
    slug = number.lower()
    return {
        "name": name, "country": country, "registration_number": number,
        "year_founded": founded, "annual_budget_usd": Decimal(budget),
        "contact_name": "Demo Contact", "contact_email": f"contact-{slug}@example.org",
        "contact_phone": "+000 000 0000", "address": f"{city} (fictitious address)",
        "psea_declaration": True, "track_record": track_record,
    }


NGOS = [
    NgoSpec("ngo1", "NGO One", "en", "Africa/Lagos", True, _org(
        "Harbour of Hope Women's Network", "NG", "DEMO-NG-0001", 2006, "420000", "Lagos",
        "Shelter, legal aid and reintegration for women and girls returned from trafficking "
        "routes to Europe and the Gulf; partner of two previous calls of the fund."),
        "My applications: complete the draft (budget, priorities, budget PDF), submit"),
    NgoSpec("ngo2", "ONG Deux", "fr", "Africa/Abidjan", False, _org(
        "Association Lumière pour l'Enfance Protégée", "CI", "DEMO-CI-0002", 2012, "150000",
        "Abidjan",
        "Accueil, soins et réinsertion d'enfants victimes de la traite dans les plantations."),
        "French interface, Abidjan time; organisation awaiting verification"),
    NgoSpec("ngo3", "NGO Three", "en", "Europe/Kyiv", True, _org(
        "Safe Route Dnipro Foundation", "UA", "DEMO-UA-0003", 2014, "310000", "Dnipro",
        "Hotline, case management and safe accommodation for displaced women at risk of "
        "trafficking since 2014.")),
    NgoSpec("ngo4", "NGO Four", "en", "America/Bogota", True, _org(
        "Fundación Sendero de Luz", "CO", "DEMO-CO-0004", 2009, "280000", "Cúcuta",
        "Legal and psychosocial assistance to Venezuelan and Colombian survivors at the "
        "border.")),
    NgoSpec("ngo5", "NGO Five", "en", "Asia/Dhaka", True, _org(
        "Sylhet Survivors' Support Society", "BD", "DEMO-BD-0005", 2003, "190000", "Sylhet",
        "Repatriation support and livelihoods for survivors of labour and sexual "
        "exploitation.")),
    NgoSpec("ngo6", "NGO Six", "en", "Asia/Bangkok", True, _org(
        "Mekong Haven Foundation", "TH", "DEMO-TH-0006", 2001, "520000", "Chiang Rai",
        "Victim identification in fishing and seafood processing; shelters on the Mekong.")),
    NgoSpec("ngo7", "NGO Seven", "en", "Europe/Chisinau", True, _org(
        "Pragul Sigur Association", "MD", "DEMO-MD-0007", 2010, "130000", "Chișinău",
        "Reintegration of returned women, including refugees from Ukraine.")),
]


# --- The fund's calls -----------------------------------------------------------------

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
# closed like the call's other grants (grants.demo_impact).
# Call 7 is still before its Board meeting: these four left the round before review
# (withdrawn by the NGO, or found ineligible at screening); the reviewed ones come from
# seed_ranking_demo.
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


# --- The open call's applications -----------------------------------------------------

@dataclass(frozen=True)
class DemoApplication:
    ngo: str
    title: str
    summary: str
    countries: list
    budget: list  # (category, description, amount)
    months: int
    services: list
    beneficiaries: dict
    priorities: dict  # code -> justification
    submit: bool
    documents: tuple = (DocumentKind.REGISTRATION_CERTIFICATE, DocumentKind.PROJECT_BUDGET)


OPEN_APPLICATIONS = [
    DemoApplication(
        "ngo1", "Safe shelter and legal aid for women and girls trafficked from conflict areas",
        "Emergency shelter, medical care, legal representation and family tracing for women "
        "and girls identified in Lagos and Benin City after trafficking from the north-east.",
        ["NG"], [("shelter", "Shelter running costs, 24 months", "22000"),
                 ("personnel", "Two social workers and a lawyer (part time)", "18000"),
                 ("direct_assistance", "Medical care and transport for survivors", "9000"),
                 ("monitoring", "Case follow-up and final evaluation", "3000")],
        24, ["shelter", "legal", "medical", "psychological"],
        {"women": 120, "girls": 80},
        {"women-girls": "All 200 beneficiaries are women and girls referred by NAPTIP.",
         "armed-conflict": "Most were recruited in camps for people displaced by the "
                           "conflict in Borno State."},
        submit=True),
    DemoApplication(
        "ngo1", "Economic reintegration of survivors through vocational training",
        "Vocational training, start-up kits and mentoring for survivors leaving our shelter.",
        ["NG"], [], 12, ["reintegration"], {"women": 60},
        {}, submit=False, documents=(DocumentKind.REGISTRATION_CERTIFICATE,)),
    DemoApplication(
        "ngo2", "Réinsertion des enfants victimes de la traite dans les plantations de cacao",
        "Identification, prise en charge psychologique et retour en famille d'enfants "
        "exploités dans les plantations de l'ouest du pays.",
        ["CI"], [("direct_assistance", "Prise en charge des enfants", "30000")],
        18, ["identification", "psychological", "reintegration"], {"girls": 40, "boys": 55},
        {"underserved": "Les enfants des zones rurales éloignées ne reçoivent aucune aide."},
        submit=False, documents=()),
    DemoApplication(
        "ngo3", "Case management and safe accommodation for displaced women at risk",
        "A hotline, mobile case managers and three safe apartments for internally displaced "
        "women and girls exposed to exploitation in central and eastern Ukraine.",
        ["UA", "MD"], [("personnel", "Case managers and hotline operators", "26000"),
                       ("shelter", "Safe apartments", "21000"),
                       ("direct_assistance", "Emergency cash and medical care", "10000")],
        24, ["identification", "shelter", "psychological", "legal"],
        {"women": 210, "girls": 45},
        {"armed-conflict": "The project works in oblasts near the front line.",
         "mass-movements": "Beneficiaries are internally displaced or returning refugees.",
         "women-girls": "Only women and girls are accommodated."},
        submit=True),
    DemoApplication(
        "ngo4", "Legal and psychosocial aid for survivors on the Colombia-Venezuela border",
        "Legal orientation, regularisation support and trauma counselling for migrant and "
        "refugee survivors of trafficking in Norte de Santander.",
        ["CO"], [("personnel", "Two lawyers and a psychologist", "28000"),
                 ("direct_assistance", "Transport, documents and emergency kits", "12000"),
                 ("training", "Training of border officials on identification", "5000")],
        18, ["legal", "psychological", "identification"],
        {"women": 90, "girls": 30, "men": 40, "boys": 15},
        {"mass-movements": "Survivors are part of the mixed migration flows from Venezuela."},
        submit=True),
    DemoApplication(
        "ngo5", "Support to survivors displaced by river erosion and cyclones",
        "Identification and assistance for survivors of trafficking from coastal districts "
        "where families lost their land to cyclones and river erosion.",
        ["BD"], [("direct_assistance", "Medical and psychosocial care", "15000"),
                 ("personnel", "Outreach workers", "14000"),
                 ("other", "Livelihood grants for survivors", "9000")],
        24, ["identification", "medical", "reintegration"],
        {"women": 70, "girls": 40, "men": 35, "boys": 20},
        {"climate-displacement": "All target districts are classified as climate hot spots.",
         "underserved": "No other service provider works in these islands (chars)."},
        submit=True),
    DemoApplication(
        "ngo5", "Helpline for migrant workers returning from the Gulf",
        "A helpline and airport desk for returning migrant workers who report exploitation.",
        ["BD"], [("personnel", "Helpline staff", "20000")], 12, ["identification"],
        {"women": 50, "men": 120}, {}, submit=False, documents=()),
    DemoApplication(
        "ngo6", "Identification and shelter for trafficked fishers and their families",
        "Joint identification visits in ports, shelter and repatriation support for fishers "
        "from Cambodia and Myanmar, and care for their families.",
        ["TH"], [("direct_assistance", "Shelter, food and medical care", "24000"),
                 ("personnel", "Interpreters and case workers", "20000"),
                 ("travel", "Port visits and repatriation travel", "8000")],
        24, ["identification", "shelter", "medical", "legal"],
        {"men": 150, "boys": 20, "women": 30, "girls": 10},
        {"underserved": "Migrant fishers are rarely identified as victims.",
         "mass-movements": "Most beneficiaries fled the collapse of public order in Myanmar."},
        submit=True),
    DemoApplication(
        "ngo7", "Reintegration of women refugees from Ukraine exploited in Moldova",
        "", ["MD"], [], 12, ["reintegration"], {}, {}, submit=False, documents=()),
]


# --- Files ----------------------------------------------------------------------------

def demo_pdf(lines: list[str]) -> bytes:
    """A small, valid one-page PDF with the given lines (ASCII) in Helvetica."""

    def esc(text: str) -> str:
        safe = text.encode("ascii", "replace").decode()
        return safe.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text = " ".join(f"({esc(line)}) Tj T*" for line in lines)
    stream = f"BT /F1 11 Tf 56 780 Td 15 TL {text} ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def _utc(day: str, hour: int = 12) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


# Later stages of the cycle, each an idempotent function that builds on the data above.
LATER_STAGES = [
    "grants.demo_stages.ranking_stage",
    "grants.demo_stages.board_stage",
    "grants.demo_impact.impact_stage",
    "donors.management.commands.seed_donors.seed_donors",
]


class Command(BaseCommand):
    help = "Load the demo data (idempotent). Refuses to run unless DEBUG is on."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates accounts with a publicly known password, so it only runs "
                "with DEBUG on (DEBUG=1). Never run it against a production database.")
        self._check_password()
        self.created: list[str] = []
        task_log = logging.getLogger("celery.app.trace")
        level = task_log.level
        task_log.setLevel(logging.WARNING)  # one "task succeeded" line per e-mail is noise here
        try:
            with transaction.atomic():
                self._seed()
        except FundError as exc:
            raise CommandError(f"Demo data refused by a service rule: {exc.as_data()}") from exc
        finally:
            task_log.setLevel(level)
        self._report()

    def _check_password(self) -> None:
        try:
            validate_password(settings.DEMO_PASSWORD)
        except ValidationError as exc:
            raise CommandError("DEMO_PASSWORD is too weak: " + " ".join(exc.messages)) from exc

    def _seed(self) -> None:
        self.secretariat = self._staff_users()
        self.ngos = {spec.username: self._ngo_user(spec) for spec in NGOS}
        for spec in HISTORY:
            self._historic_call(spec)
        for row in HISTORIC_APPLICATIONS:
            self._historic_application(*row)
        self.open_call = self._open_call()
        for spec in OPEN_APPLICATIONS:
            self._open_application(spec)
        for path in LATER_STAGES:
            seeder = import_string(path)
            result = seeder()
            if isinstance(result, list):
                self.created.extend(result)
            elif result and any(result.values()):
                self.created.append(f"{path.rsplit('.', 1)[-1]}: {result}")

    # People

    def _staff_users(self) -> User:
        users = {spec.username: self._staff_user(spec) for spec in STAFF}
        return users["secretariat"]

    def _staff_user(self, spec: StaffSpec) -> User:
        user = User.objects.filter(username=spec.username).first()
        if user is not None:
            return user
        user = User.objects.create_user(
            username=spec.username, email=f"{spec.username}@example.org",
            password=settings.DEMO_PASSWORD, first_name=spec.first_name,
            last_name=spec.last_name, email_verified=True, is_staff=spec.is_staff,
            # The demo secretariat supports staff in the (read-only) admin too.
            is_superuser=spec.is_staff,
        )
        grant_role(user, spec.role)
        self.created.append(f"user {spec.username}")
        return user

    def _ngo_user(self, spec: NgoSpec) -> User:
        """Register (and verify) only when missing: what people did in the demo stays."""
        user = User.objects.filter(username=spec.username).first()
        if user is not None:
            return user
        user = self._register_ngo(spec)
        if spec.verified:
            organisation_verify(actor=self.secretariat, organisation=user.membership.organisation,
                                approve=True, checklist=dict.fromkeys(VERIFICATION_CHECKS, True))
        return user

    def _register_ngo(self, spec: NgoSpec) -> User:
        """The real self-registration journey: register, confirm the e-mail address."""
        email = f"{spec.username}@example.org"
        user = ngo_register(username=spec.username, email=email,
                            password=settings.DEMO_PASSWORD, language=spec.language,
                            organisation=spec.org)
        email_verify(token=signing.dumps({"u": user.pk, "e": email}, salt=EMAIL_TOKEN_SALT))
        User.objects.filter(pk=user.pk).update(first_name="Demo", last_name=spec.last_name,
                                               timezone=spec.tz)
        verified = " (verified)" if spec.verified else " (awaiting verification)"
        self.created.append(f"user {spec.username}, organisation {spec.org['name']}{verified}")
        return User.objects.get(pk=user.pk)

    # Calls

    def _historic_call(self, spec: HistoricCall) -> Call:
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
            created_by=self.secretariat,
        )
        CallPriority.objects.bulk_create([
            CallPriority(call=call, position=i, **p) for i, p in enumerate(spec.priorities)])
        self.created.append(f"call {spec.number}")
        return call

    def _historic_application(self, number, ngo, status, title, amount, months, codes) -> None:
        org = self.ngos[ngo].membership.organisation
        call = Call.objects.get(number=number)
        app = Application.objects.filter(call=call, organisation=org, title=title).first()
        if app is None:
            app = self._new_historic_application(call, org, ngo, status, title, amount,
                                                 months, codes)
        if (app.status == ApplicationStatus.APPROVED and call.status == CallStatus.ARCHIVED
                and not Grant.objects.filter(application=app).exists()):
            grant = closed_grants(call, [app], self.secretariat)[0]
            self.created.append(f"grant {grant.agreement_number} (closed)")

    def _new_historic_application(self, call, org, ngo, status, title, amount, months,
                                  codes) -> Application:
        amount = Decimal(amount)
        app = Application.objects.create(
            call=call, organisation=org, created_by=self.ngos[ngo], title=title,
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
            self._screened_out(app)
        self.created.append(f"application {app.reference}")
        return app

    def _screened_out(self, app: Application) -> None:
        """The secretariat's record of an ineligible application: checks and reasons."""
        checks = [*automatic_checks(app), sanctions_check(sanctions_list=None, matches=[])]
        decided_at = app.call.closes_at + timedelta(days=14)
        Screening.objects.create(
            application=app, checks=checks, checked_at=decided_at,
            checked_by=self.secretariat, decision=ScreeningDecision.INELIGIBLE,
            reasons=INELIGIBLE_REASONS, decided_by=self.secretariat, decided_at=decided_at)

    def _open_call(self) -> Call:
        call = Call.objects.filter(number=OPEN_CALL_NUMBER).first()
        if call is not None:
            if not call.is_accepting_submissions():
                self.stderr.write(f"note: call {OPEN_CALL_NUMBER} no longer accepts "
                                  "submissions; start from a fresh database (make clean).")
            return call
        now = timezone.now().replace(second=0, microsecond=0)
        closes = (now + timedelta(days=21)).replace(hour=23, minute=59)
        en, fr = ORDINALS[OPEN_CALL_NUMBER - 1]
        call = call_create(actor=self.secretariat, values={
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
        call = call_publish(actor=self.secretariat, call=call)
        self.created.append(f"call {OPEN_CALL_NUMBER} (open)")
        return call

    # Applications on the open call

    def _open_application(self, spec: DemoApplication) -> None:
        actor = self.ngos[spec.ngo]
        org = actor.membership.organisation
        if Application.objects.filter(call=self.open_call, organisation=org,
                                      title=spec.title).exists():
            return
        if not self.open_call.is_accepting_submissions():
            return
        app = application_create(actor=actor, call=self.open_call,
                                 values=self._values(spec))
        for kind in spec.documents:
            attachment_add(actor=actor, application=app, kind=kind,
                           uploaded=self._pdf(spec, org, kind))
        if spec.submit:
            app = application_submit(actor=actor, application=app)
        self.created.append(f"application {app.reference or 'draft'}: {spec.title[:50]}")

    def _values(self, spec: DemoApplication) -> dict:
        lines = [{"category": c, "description": d, "amount": Decimal(a)}
                 for c, d, a in spec.budget]
        values = {
            "title": spec.title, "summary": spec.summary, "countries": spec.countries,
            "duration_months": spec.months, "services": spec.services,
            "beneficiaries": spec.beneficiaries, "priorities": spec.priorities,
            "start_date": self.open_call.closes_at.date() + timedelta(days=90),
        }
        if lines:
            values["budget_lines"] = lines
            values["requested_usd"] = sum((line["amount"] for line in lines), Decimal("0"))
        return values

    def _pdf(self, spec: DemoApplication, org: Organisation, kind: str) -> SimpleUploadedFile:
        label = DocumentKind(kind).label
        lines = [str(label), org.name, f"Registration number {org.registration_number}",
                 spec.title, "Demo document generated by FundApp's seed_demo command."]
        lines += [f"{d}: USD {a}" for _c, d, a in spec.budget] if kind == "project_budget" else []
        return SimpleUploadedFile(f"{kind.replace('_', '-')}.pdf", demo_pdf(lines),
                                  content_type="application/pdf")

    # Output

    def _report(self) -> None:
        if self.created:
            self.stdout.write(f"Demo data: created {len(self.created)} item(s).")
            for item in self.created:
                self.stdout.write(f"  + {item}")
        else:
            self.stdout.write("Demo data already present: nothing to do.")
        self._print_logins()

    def _print_logins(self) -> None:
        password = settings.DEMO_PASSWORD
        rows = [(s.username, str(Role(s.role).label), s.try_first) for s in STAFF]
        rows += [(s.username, str(Role.NGO.label), s.try_first) for s in NGOS if s.try_first]
        others = ", ".join(s.username for s in NGOS if not s.try_first)
        width = max(len(r[0]) for r in rows)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"FundApp demo: {SITE}  (password for every "
                                             f"account: {password})"))
        self.stdout.write(f"  {'username':<{width}}  {'role':<14}  try first")
        for username, role, hint in rows:
            self.stdout.write(f"  {username:<{width}}  {role:<14}  {hint}")
        self.stdout.write(f"  Other demo NGO users ({others}) hold the other organisations.")
        self.stdout.write(f"  Django admin: {SITE}/admin/ (as secretariat)")
