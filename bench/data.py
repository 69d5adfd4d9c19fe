"""Bulk data for the benchmark: calls, organisations and applications with their children.

Everything goes in with bulk_create (no services, no audit, no notifications): the
benchmark measures reads, and 5,000 applications must load in seconds.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from fundapp.accounts.models import User
from fundapp.accounts.roles import Role, grant_role
from grants.models import (
    Application,
    ApplicationPriority,
    ApplicationStatus,
    Attachment,
    BudgetLine,
    Call,
    CallPriority,
    CallStatus,
    DocumentKind,
    Membership,
    Organisation,
    OrganisationStatus,
)

CALLS = 8
ORGANISATIONS = 100
COUNTRIES = ["NG", "UA", "CO", "BD", "TH", "MD", "KE", "PH", "GT", "NP", "IN", "MX"]
PRIORITY_CODES = ["armed-conflict", "mass-movements", "climate-displacement", "women-girls",
                  "underserved"]
# Mostly submitted and beyond: what the secretariat's list holds in a real cycle.
STATUSES = [ApplicationStatus.SUBMITTED] * 4 + [
    ApplicationStatus.DRAFT, ApplicationStatus.SCREENING, ApplicationStatus.ELIGIBLE,
    ApplicationStatus.UNDER_REVIEW, ApplicationStatus.RANKED, ApplicationStatus.APPROVED,
    ApplicationStatus.DECLINED, ApplicationStatus.INELIGIBLE,
]
BUDGET = [("personnel", Decimal("20000")), ("direct_assistance", Decimal("15000")),
          ("shelter", Decimal("9000"))]
PLACEHOLDER_FILE = "bench/placeholder.pdf"
FULL_PAGE = 25


@dataclass
class World:
    secretariat: User
    ngo: User
    calls: list[Call]
    organisations: list[Organisation]
    priorities: dict[int, list[CallPriority]]
    created: int = 0
    sequences: dict[int, int] = field(default_factory=dict)


def build_world() -> World:
    """Users, calls with their priorities, organisations; no applications yet."""
    password_hash = make_password(None)  # the benchmark signs in with force_login
    secretariat = User.objects.create(username="bench-secretariat", password=password_hash,
                                      email="sec@bench.example.org", email_verified=True)
    grant_role(secretariat, Role.SECRETARIAT)
    calls = _calls()
    organisations = Organisation.objects.bulk_create([
        Organisation(name=f"Bench NGO {i:03d}", country=COUNTRIES[i % len(COUNTRIES)],
                     registration_number=f"BENCH-{i:05d}", psea_declaration=True,
                     status=OrganisationStatus.VERIFIED, year_founded=2000 + i % 20)
        for i in range(ORGANISATIONS)])
    ngo = User.objects.create(username="bench-ngo", password=password_hash,
                              email="ngo@bench.example.org", email_verified=True)
    grant_role(ngo, Role.NGO)
    Membership.objects.create(user=ngo, organisation=organisations[0], role="admin")
    priorities = {c.pk: list(c.priorities.all()) for c in calls}
    return World(secretariat, ngo, calls, organisations, priorities)


def _calls() -> list[Call]:
    now = timezone.now()
    calls = Call.objects.bulk_create([
        Call(number=n, title_en=f"Call for proposals {n}", title_fr=f"Appel à propositions {n}",
             opens_at=now - timedelta(days=400 * (CALLS - n) + 30),
             closes_at=now - timedelta(days=400 * (CALLS - n)) + timedelta(days=21),
             envelope_usd=Decimal("1000000"), min_grant_usd=Decimal("20000"),
             max_grant_usd=Decimal("60000"), max_duration_months=24,
             required_documents=[DocumentKind.REGISTRATION_CERTIFICATE,
                                 DocumentKind.PROJECT_BUDGET],
             status=CallStatus.PUBLISHED if n == CALLS else CallStatus.ARCHIVED)
        for n in range(1, CALLS + 1)])
    CallPriority.objects.bulk_create([
        CallPriority(call=call, code=code, name_en=code.replace("-", " ").capitalize(),
                     weight=Decimal("1") + Decimal(i) / 4, position=i)
        for call in calls for i, code in enumerate(PRIORITY_CODES)])
    return calls


def add_applications(world: World, count: int, batch: int = 1000) -> None:
    """Add ``count`` applications, each with 3 budget lines, 2 priority claims, 2 files."""
    start = world.created
    for offset in range(0, count, batch):
        indexes = range(start + offset, start + min(offset + batch, count))
        apps = Application.objects.bulk_create([_application(world, i) for i in indexes])
        _children(world, apps)
    world.created += count
    for call in world.calls:
        Call.objects.filter(pk=call.pk).update(
            next_sequence=world.sequences.get(call.pk, 0) + 1)


def _placement(world: World, i: int) -> tuple[Call, Organisation]:
    """The first page's worth goes to the open call and the benchmark NGO, so that every
    list shows full pages from the smallest size on: only the table size changes."""
    if i < FULL_PAGE:
        return world.calls[-1], world.organisations[0]
    return world.calls[i % CALLS], world.organisations[i % ORGANISATIONS]


def _application(world: World, i: int) -> Application:
    call, org = _placement(world, i)
    status = STATUSES[i % len(STATUSES)]
    reference = None
    if status != ApplicationStatus.DRAFT:
        world.sequences[call.pk] = world.sequences.get(call.pk, 0) + 1
        reference = f"VTF{call.number}-{world.sequences[call.pk]:05d}"
    return Application(
        call=call, organisation=org, reference=reference, status=status,
        title=f"Direct assistance to survivors, project {i:05d}",
        summary="Shelter, legal aid and reintegration for survivors of trafficking.",
        countries=[org.country.code], requested_usd=sum(a for _c, a in BUDGET),
        duration_months=12 + i % 13, start_date=(call.closes_at + timedelta(days=90)).date(),
        beneficiaries_women=40 + i % 50, beneficiaries_girls=10 + i % 30,
        services=["shelter", "legal", "psychological"],
        submitted_at=None if reference is None else call.closes_at - timedelta(days=1),
    )


def _children(world: World, apps: list[Application]) -> None:
    BudgetLine.objects.bulk_create([
        BudgetLine(application=app, category=category, amount=amount, position=p,
                   description=f"{category} costs")
        for app in apps for p, (category, amount) in enumerate(BUDGET)])
    ApplicationPriority.objects.bulk_create([
        ApplicationPriority(application=app, priority=priority,
                            justification="The project addresses this priority directly.")
        for app in apps for priority in _two_priorities(world, app)])
    Attachment.objects.bulk_create([
        Attachment(application=app, kind=kind, file=PLACEHOLDER_FILE,
                   original_name=f"{kind}.pdf", content_type="application/pdf", size=2048,
                   sha256="0" * 64, uploaded_by=world.ngo)
        for app in apps
        for kind in (DocumentKind.REGISTRATION_CERTIFICATE, DocumentKind.PROJECT_BUDGET)])


def _two_priorities(world: World, app: Application) -> list[CallPriority]:
    options = world.priorities[app.call_id]
    return [options[app.pk % len(options)], options[(app.pk + 2) % len(options)]]
