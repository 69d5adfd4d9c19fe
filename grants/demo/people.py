"""Demo people: the staff accounts (secretariat, reviewers, Board, donor) and the NGO users
with their organisations, and the table of demo logins that ``seed_demo`` prints."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core import signing

from fundapp.accounts.models import User
from fundapp.accounts.roles import Role, grant_role
from grants.models import Invitation, OrgRole
from grants.models.organisations import VERIFICATION_CHECKS
from grants.services.invitations import invitation_accept, invitation_create
from grants.services.organisations import (
    EMAIL_TOKEN_SALT,
    email_verify,
    ngo_register,
    organisation_verify,
)
from grants.services.people import staff_invite, user_deactivate

SITE = settings.SITE_URL.rstrip("/")


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


def staff_users(created: list[str]) -> dict[str, User]:
    users = {spec.username: _staff_user(spec, created) for spec in STAFF}
    _people_statuses(users["secretariat"], created)
    return users


FORMER_REVIEWER = StaffSpec("reviewer9", "Demo", "Former Reviewer", Role.REVIEWER, "")
PENDING_REVIEWER = "new.reviewer@example.org"


FORMER_REVIEWER_REASON = "Left the reviewer roster at the end of the contract."


def _people_statuses(secretariat: User, created: list[str]) -> None:
    """The People page shows each status: a reviewer who leaves (deactivated by
    ``grants.demo.workspaces`` once a review of theirs is pending, so the secretariat's work
    queue has a review to reassign), a pending invitation."""
    _staff_user(FORMER_REVIEWER, created)
    if not Invitation.objects.pending().filter(email=PENDING_REVIEWER).exists():
        staff_invite(actor=secretariat, email=PENDING_REVIEWER, roles=[Role.REVIEWER],
                     details={"expertise": "Child protection, West Africa",
                              "languages": "French, English"})
        created.append(f"pending reviewer invitation of {PENDING_REVIEWER}")


def _staff_user(spec: StaffSpec, created: list[str]) -> User:
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
    created.append(f"user {spec.username}")
    return user


def ngo_users(secretariat: User, created: list[str]) -> dict[str, User]:
    users = {spec.username: _ngo_user(spec, secretariat, created) for spec in NGOS}
    _ngo1_colleagues(users["ngo1"], created)
    return users


VIEWER = "ngo1-viewer"
PENDING_INVITEE = "new.colleague@example.org"


def _ngo1_colleagues(ngo1: User, created: list[str]) -> None:
    """ngo1's organisation has a viewer (joined through a real invitation) and one
    invitation still pending."""
    org = ngo1.membership.organisation
    if not User.objects.filter(username=VIEWER).exists():
        _invitation, token = invitation_create(
            actor=ngo1, organisation=org, email=f"{VIEWER}@example.org", role=OrgRole.VIEWER)
        viewer = invitation_accept(token=token, username=VIEWER,
                                   password=settings.DEMO_PASSWORD)
        User.objects.filter(pk=viewer.pk).update(first_name="Demo", last_name="NGO One Viewer",
                                                 timezone="Africa/Lagos")
        created.append(f"user {VIEWER} (viewer of {org.name})")
    if not Invitation.objects.pending().filter(organisation=org).exists():
        invitation_create(actor=ngo1, organisation=org, email=PENDING_INVITEE,
                          role=OrgRole.EDITOR)
        created.append(f"pending invitation of {PENDING_INVITEE} to {org.name}")


def _ngo_user(spec: NgoSpec, secretariat: User, created: list[str]) -> User:
    """Register (and verify) only when missing: what people did in the demo stays."""
    user = User.objects.filter(username=spec.username).first()
    if user is not None:
        return user
    user = _register_ngo(spec, created)
    if spec.verified:
        organisation_verify(actor=secretariat, organisation=user.membership.organisation,
                            approve=True, checklist=dict.fromkeys(VERIFICATION_CHECKS, True))
    return user


def _register_ngo(spec: NgoSpec, created: list[str]) -> User:
    """The real self-registration journey: register, confirm the e-mail address."""
    email = f"{spec.username}@example.org"
    user = ngo_register(username=spec.username, email=email,
                        password=settings.DEMO_PASSWORD, language=spec.language,
                        organisation=spec.org)
    email_verify(token=signing.dumps({"u": user.pk, "e": email}, salt=EMAIL_TOKEN_SALT))
    User.objects.filter(pk=user.pk).update(first_name="Demo", last_name=spec.last_name,
                                           timezone=spec.tz)
    verified = " (verified)" if spec.verified else " (awaiting verification)"
    created.append(f"user {spec.username}, organisation {spec.org['name']}{verified}")
    return User.objects.get(pk=user.pk)


def print_logins(stdout, style) -> None:
    """The demo accounts and what to try first with each (``stdout`` of a command)."""
    password = settings.DEMO_PASSWORD
    rows = [(s.username, str(Role(s.role).label), s.try_first) for s in STAFF]
    rows += [(s.username, str(Role.NGO.label), s.try_first) for s in NGOS if s.try_first]
    rows.insert(len(STAFF) + 1, (VIEWER, str(OrgRole.VIEWER.label),
                                 "ngo1's colleague (viewer): reads the applications, edits "
                                 "nothing; ngo1 manages Members"))
    others = ", ".join(s.username for s in NGOS if not s.try_first)
    width = max(len(r[0]) for r in rows)
    stdout.write("")
    stdout.write(style.SUCCESS(f"FundApp demo: {SITE}  (password for every "
                               f"account: {password})"))
    stdout.write(f"  {'username':<{width}}  {'role':<14}  try first")
    for username, role, hint in rows:
        stdout.write(f"  {username:<{width}}  {role:<14}  {hint}")
    stdout.write(f"  Other demo NGO users ({others}) hold the other organisations.")
    stdout.write(f"  Django admin: {SITE}/admin/ (as secretariat)")


def former_reviewer_leaves(secretariat: User, created: list[str]) -> None:
    """The former reviewer's account is deactivated (their pending reviews are listed for
    reassignment)."""
    former = User.objects.filter(username=FORMER_REVIEWER.username, is_active=True).first()
    if former is not None:
        user_deactivate(actor=secretariat, user=former, reason=FORMER_REVIEWER_REASON)
        created.append(f"user {former.username} deactivated")
