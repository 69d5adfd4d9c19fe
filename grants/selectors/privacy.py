"""Reads on personal data: what a person may download about themselves, what stops them
closing their account, and whose data the retention policy has made due for anonymisation.

The export holds only the person's own records: their profile, membership, notifications,
what they did (audit trail: verb, when, what kind of object), the applications and reports
they acted on, their reviews, Board votes and donor links; never another person's.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from fundapp.accounts.models import User
from fundapp.accounts.roles import Role, has_role, roles_of
from fundapp.core.models import AuditEvent
from fundapp.notifications.models import Notification, NotificationPreference
from grants.models import (
    Application,
    ApplicationStatus,
    Attachment,
    BoardMembership,
    BoardSession,
    CallStatus,
    Grant,
    Membership,
    Organisation,
    OrgRole,
    ProgressReport,
    Review,
    ReviewerProfile,
    SessionStatus,
    Vote,
)
from grants.selectors.applications import status_seen_by
from grants.selectors.board import session_board

EXPORT_FORMAT = "fundapp-personal-data/1"


# --- the export ----------------------------------------------------------------------------


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _profile(user: User) -> dict:
    return {
        "id": user.pk, "username": user.username, "first_name": user.first_name,
        "last_name": user.last_name, "email": user.email,
        "email_verified": user.email_verified, "language": user.language,
        "time_zone": user.timezone, "roles": sorted(roles_of(user)),
        "is_active": user.is_active, "date_joined": user.date_joined,
        "last_login": user.last_login,
    }


def _membership(user: User) -> dict | None:
    m = Membership.objects.select_related("organisation").filter(user=user).first()
    if m is None:
        return None
    return {"organisation": {"id": m.organisation_id, "name": m.organisation.name},
            "role": m.role, "joined_at": m.created_at}


def _reviewer_profile(user: User) -> dict | None:
    p = ReviewerProfile.objects.filter(user=user).first()
    if p is None:
        return None
    return {"is_external": p.is_external, "expertise": p.expertise,
            "conflict_countries": [str(c.code) for c in p.conflict_countries],
            "updated_at": p.updated_at}


def _preferences(user: User) -> dict | None:
    p = NotificationPreference.objects.filter(user=user).first()
    if p is None:
        return None
    return {"email_mode": p.email_mode, "muted_kinds": list(p.muted_kinds),
            "updated_at": p.updated_at}


def _notifications(user: User) -> list[dict]:
    """What was sent to the person and when, with its link; not its data, which may name
    someone else (a colleague who joined, a reviewer who declared a conflict)."""
    rows = Notification.objects.filter(recipient=user).order_by("created_at", "id")
    return [{"id": n.pk, "kind": n.kind, "created_at": n.created_at, "read_at": n.read_at,
             "email_status": n.email_status, "sent_at": n.sent_at, "url": n.url}
            for n in rows.iterator()]


def _activity(user: User) -> list[dict]:
    """What the person did; the object named by kind and id only (its label may name
    someone else, e.g. a review's reviewer)."""
    user_type = ContentType.objects.get_for_model(User)
    rows = (AuditEvent.objects.filter(actor=user).select_related("target_type")
            .order_by("created_at", "id"))
    entries = []
    for e in rows.iterator():
        other_person = e.target_type_id == user_type.pk and e.target_id != str(user.pk)
        entries.append({"at": e.created_at, "verb": e.verb,
                        "object_type": f"{e.target_type.app_label}.{e.target_type.model}",
                        "object_id": None if other_person else e.target_id})
    return entries


def _audited_ids(user: User, model) -> set[int]:
    ids = AuditEvent.objects.filter(
        actor=user, target_type=ContentType.objects.get_for_model(model)
    ).values_list("target_id", flat=True)
    return {int(i) for i in ids if str(i).isdigit()}


def _applications(user: User) -> list[dict]:
    ids = _audited_ids(user, Application)
    qs = (Application.objects.filter(Q(created_by=user) | Q(pk__in=ids)
                                     | Q(attachments__uploaded_by=user))
          .distinct().select_related("call").order_by("created_at", "id"))
    return [{"id": a.pk, "reference": a.reference, "title": a.title,
             "call": a.call.number, "status": status_seen_by(user, a),
             "created_by_you": a.created_by_id == user.pk} for a in qs]


def _attachments(user: User) -> list[dict]:
    qs = Attachment.objects.filter(uploaded_by=user).select_related("application")
    return [{"id": a.pk, "application": a.application_id, "kind": a.kind,
             "file_name": a.original_name, "uploaded_at": a.uploaded_at}
            for a in qs.order_by("uploaded_at", "id")]


def _reports(user: User) -> list[dict]:
    ids = _audited_ids(user, ProgressReport)
    qs = (ProgressReport.objects.filter(Q(submitted_by=user) | Q(reviewed_by=user)
                                        | Q(pk__in=ids))
          .select_related("grant").order_by("created_at", "id"))
    return [{"id": r.pk, "grant": r.grant.agreement_number, "kind": r.kind,
             "version": r.version, "status": r.status, "submitted_at": r.submitted_at,
             "submitted_by_you": r.submitted_by_id == user.pk,
             "reviewed_by_you": r.reviewed_by_id == user.pk} for r in qs]


def _reviews(user: User) -> list[dict]:
    qs = (Review.objects.filter(reviewer=user).select_related("application")
          .prefetch_related("scores__criterion").order_by("assigned_at", "id"))
    return [{"id": r.pk, "application": {"id": r.application_id,
                                         "reference": r.application.reference,
                                         "title": r.application.title},
             "status": r.status, "conflict_declared": r.conflict_declared,
             "conflict_note": r.conflict_note, "comment": r.comment,
             "assigned_at": r.assigned_at, "submitted_at": r.submitted_at,
             "scores": [{"criterion": s.criterion.code, "score": s.score, "comment": s.comment}
                        for s in r.scores.all()]} for r in qs]


def _board(user: User) -> tuple[list[dict], list[dict]]:
    seats = BoardMembership.objects.filter(user=user).order_by("term_start", "id")
    votes = (Vote.objects.filter(member=user).select_related("item__application")
             .order_by("created_at", "id"))
    return (
        [{"role": m.role, "term_start": m.term_start, "term_end": m.term_end} for m in seats],
        [{"session": v.session_id, "application": {"id": v.item.application_id,
                                                   "reference": v.item.application.reference},
          "vote": v.vote, "amount_usd": _money(v.amount_usd), "conditions": v.conditions,
          "feedback": v.feedback, "created_at": v.created_at, "updated_at": v.updated_at}
         for v in votes],
    )


def _donor_links(user: User) -> list[dict]:
    """The donors the person speaks for (the donors app's link, read from the user's side)."""
    return [{"id": pk, "name": name} for pk, name in
            user.donor_accounts.order_by("name", "id").values_list("pk", "name")]


def personal_data_of(user: User) -> dict:
    """Everything FundApp holds about ``user`` as a person, for them to download."""
    seats, votes = _board(user)
    return {
        "format": EXPORT_FORMAT,
        "generated_at": timezone.now(),
        "profile": _profile(user),
        "organisation_membership": _membership(user),
        "reviewer_profile": _reviewer_profile(user),
        "board_memberships": seats,
        "donors": _donor_links(user),
        "notification_preferences": _preferences(user),
        "notifications": _notifications(user),
        "activity": _activity(user),
        "applications": _applications(user),
        "attachments_uploaded": _attachments(user),
        "reports": _reports(user),
        "reviews": _reviews(user),
        "board_votes": votes,
    }


# --- closing an account ----------------------------------------------------------------------


def _last_admin_blocker(user: User) -> str | None:
    m = Membership.objects.select_related("organisation").filter(user=user).first()
    if m is None or m.role != OrgRole.ADMIN:
        return None
    others = (Membership.objects.filter(organisation_id=m.organisation_id, user__is_active=True)
              .exclude(user=user))
    if others.exists() and not others.filter(role=OrgRole.ADMIN).exists():
        return _("You are the last administrator of %(organisation)s, which has other "
                 "members: make one of them an administrator first.") % {
                     "organisation": m.organisation.name}
    return None


def _last_secretariat_blocker(user: User) -> str | None:
    if not has_role(user, Role.SECRETARIAT):
        return None
    others = (User.objects.filter(is_active=True, anonymised_at__isnull=True,
                                  groups__name=Role.SECRETARIAT).exclude(pk=user.pk))
    if not others.exists():
        return _("You are the last active secretariat user: the fund cannot work without "
                 "one. Invite a colleague to the secretariat first.")
    return None


def _open_session_blocker(user: User) -> str | None:
    if not BoardMembership.objects.filter(user=user).exists():
        return None
    for session in BoardSession.objects.filter(status=SessionStatus.OPEN).select_related("call"):
        if user in session_board(session):
            return _("You sit on the Board for an open session (call %(number)s): your "
                     "account can be closed once the session is closed.") % {
                         "number": session.call.number}
    return None


def closure_blockers(user: User) -> list[str]:
    """Why closing ``user``'s account now would break the fund's work (empty: it may)."""
    checks = (_last_admin_blocker, _last_secretariat_blocker, _open_session_blocker)
    return [reason for check in checks if (reason := check(user))]


# --- retention -------------------------------------------------------------------------------

ENDED_STATUSES = (ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN,
                  ApplicationStatus.INELIGIBLE)
DECIDED_CALLS = (CallStatus.DECIDED, CallStatus.ARCHIVED)
CLOSED_CALLS = (CallStatus.CLOSED, *DECIDED_CALLS)
# People who also work for the fund (or a donor) keep their data while they do.
FUND_ROLES = (Role.SECRETARIAT, Role.REVIEWER, Role.BOARD, Role.DONOR)


class RetentionReason:
    LAST_APPLICATION_ENDED = "last_application_ended"
    NEVER_APPLIED = "never_applied"


@dataclass(frozen=True)
class RetentionCase:
    user: User
    organisation: Organisation
    reason: str
    last_application_on: date | None
    last_seen_on: date
    due_on: date

    @property
    def reason_label(self) -> str:
        if self.reason == RetentionReason.NEVER_APPLIED:
            return _("Organisation never applied, never funded")
        return _("Last application ended, never funded")


def retention_years() -> int:
    return int(settings.RETENTION_NEVER_FUNDED_YEARS)


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _years_after(day: date, years: int) -> date:
    return years_before(day, -years)


def retention_cutoff(today: date) -> datetime:
    """The moment before which an ending or a last sign-in is old enough: the end of the
    day ``RETENTION_NEVER_FUNDED_YEARS`` years before ``today``."""
    day = years_before(today, retention_years()) + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time.min))


def _application_ended() -> Q:
    return (Q(status__in=ENDED_STATUSES)
            | Q(status=ApplicationStatus.NOT_RECOMMENDED, call__status__in=DECIDED_CALLS)
            | Q(status=ApplicationStatus.DRAFT, call__status__in=CLOSED_CALLS))


def never_funded_organisations(cutoff: datetime) -> QuerySet[Organisation]:
    """Organisations never granted anything whose last application ended before ``cutoff``
    (or that never applied and registered before it), annotated ``last_ended_at``."""
    apps = Application.objects.filter(organisation=OuterRef("pk"))
    last_end = (apps.annotate(end=Greatest("updated_at", "call__closes_at"))
                .order_by("-end").values("end")[:1])
    return (Organisation.objects
            .annotate(funded=Exists(Grant.objects.filter(application__organisation=OuterRef("pk"))),
                      approved=Exists(apps.filter(status=ApplicationStatus.APPROVED)),
                      still_open=Exists(apps.exclude(_application_ended())),
                      last_ended_at=Subquery(last_end))
            .filter(funded=False, approved=False, still_open=False)
            .filter(Q(last_ended_at__lt=cutoff)
                    | Q(last_ended_at__isnull=True, created_at__lt=cutoff)))


def _case(user: User, org: Organisation, years: int) -> RetentionCase:
    ended = timezone.localdate(org.last_ended_at) if org.last_ended_at else None
    seen = timezone.localdate(user.last_login or user.date_joined)
    reference = max(d for d in (ended, seen, timezone.localdate(org.created_at)) if d)
    return RetentionCase(
        user=user, organisation=org,
        reason=RetentionReason.LAST_APPLICATION_ENDED if ended else RetentionReason.NEVER_APPLIED,
        last_application_on=ended, last_seen_on=seen, due_on=_years_after(reference, years))


def retention_due(today: date | None = None) -> list[RetentionCase]:
    """The people whose data the retention policy makes due for anonymisation on ``today``:
    members of never-funded organisations (see ``never_funded_organisations``) who have not
    signed in for ``RETENTION_NEVER_FUNDED_YEARS`` years and hold no other role at the fund.
    Two queries, whatever the number of people."""
    today = today or timezone.localdate()
    years = retention_years()
    cutoff = retention_cutoff(today)
    orgs = {o.pk: o for o in never_funded_organisations(cutoff)}
    if not orgs:
        return []
    people = (User.objects
              .filter(anonymised_at__isnull=True, is_superuser=False, is_staff=False,
                      membership__organisation_id__in=list(orgs))
              .filter(Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff))
              .exclude(groups__name__in=FUND_ROLES)
              .exclude(donor_accounts__isnull=False)
              .select_related("membership").order_by("membership__organisation_id", "pk"))
    return [_case(u, orgs[u.membership.organisation_id], years) for u in people]
