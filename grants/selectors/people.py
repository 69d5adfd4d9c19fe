"""People: the secretariat's list of every user, one person's page, their pending work."""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from fundapp.accounts.models import User
from fundapp.accounts.roles import Role, roles_of, user_can
from grants.models import BoardMembership, BoardSession, Review, Vote
from grants.models.board import SessionStatus
from grants.models.invitations import Invitation
from grants.models.reviews import PENDING_REVIEW


class PersonStatus:
    ACTIVE = "active"
    DEACTIVATED = "deactivated"
    INVITED = "invited"


def _with_mfa(qs: QuerySet[User]) -> QuerySet[User]:
    from fundapp.accounts.mfa import annotate_mfa

    return annotate_mfa(qs)


def people_list(user, *, q: str = "", role: str = "", organisation=None,
                status: str = "") -> QuerySet[User]:
    """Every account with its roles, organisation and two factors; none for other roles."""
    if not user_can(user, "user.list"):
        return User.objects.none()
    qs = (User.objects.select_related("membership__organisation")
          .prefetch_related("groups").order_by("last_name", "first_name", "username", "pk"))
    if q := (q or "").strip():
        qs = qs.filter(Q(username__icontains=q) | Q(email__icontains=q)
                       | Q(first_name__icontains=q) | Q(last_name__icontains=q))
    if role:
        qs = qs.filter(groups__name=role)
    if organisation:
        qs = qs.filter(membership__organisation=organisation)
    if status == PersonStatus.ACTIVE:
        qs = qs.filter(is_active=True)
    elif status == PersonStatus.DEACTIVATED:
        qs = qs.filter(is_active=False)
    elif status == PersonStatus.INVITED:
        qs = qs.none()
    return _with_mfa(qs.distinct())


def pending_staff_invitations(user) -> QuerySet[Invitation]:
    """Invitations to the fund's staff (no organisation) still waiting for an answer."""
    if not user_can(user, "user.list"):
        return Invitation.objects.none()
    return (Invitation.objects.pending().filter(organisation__isnull=True)
            .select_related("invited_by").order_by("-created_at", "-id"))


def get_person_for(user, pk) -> User:
    """One account for the People pages: the secretariat only; 404 for anyone else."""
    if not user_can(user, "user.list"):
        raise Http404
    person = _with_mfa(User.objects.select_related("membership__organisation")
                       .prefetch_related("groups", "board_memberships")).filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


def get_staff_invitation_for(user, pk) -> Invitation:
    if not user_can(user, "user.list"):
        raise Http404
    invitation = Invitation.objects.filter(pk=pk, organisation__isnull=True).first()
    if invitation is None:
        raise Http404
    return invitation


def secretariat_count(*, exclude=None) -> int:
    qs = User.objects.filter(is_active=True, groups__name=Role.SECRETARIAT)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.distinct().count()


# --- pending work -------------------------------------------------------------------------


@dataclass
class PendingWork:
    """What a person was expected to do and has not: to reassign when they leave."""

    reviews: list[Review] = field(default_factory=list)
    sessions: list[BoardSession] = field(default_factory=list)  # each with .votes_missing

    def __bool__(self) -> bool:
        return bool(self.reviews or self.sessions)

    @property
    def count(self) -> int:
        return len(self.reviews) + len(self.sessions)


def pending_reviews_of(users) -> QuerySet[Review]:
    """Assigned reviews not submitted (nor declined for a conflict) of these users."""
    return (Review.objects.filter(reviewer__in=users, status__in=PENDING_REVIEW)
            .select_related("application__call", "reviewer").order_by("application_id", "id"))


def _open_sessions_of(user) -> list[BoardSession]:
    sessions = (BoardSession.objects.filter(status=SessionStatus.OPEN)
                .select_related("call").annotate(items_count=Count("items", distinct=True))
                .order_by("pk"))
    memberships = list(BoardMembership.objects.filter(user=user))
    if not memberships:
        return []
    sitting = [s for s in sessions if any(m.sits_on(s.sitting_date) for m in memberships)]
    voted = dict(Vote.objects.filter(member=user, session__in=sitting)
                 .values_list("session").annotate(n=Count("id")).values_list("session", "n"))
    for session in sitting:
        session.votes_missing = session.items_count - voted.get(session.pk, 0)
    return [s for s in sitting if s.votes_missing > 0]


def pending_work_of(user) -> PendingWork:
    """The reviews a person has not submitted and the open Board sessions they have not
    voted in fully (for the People page, the review pages and the work queue)."""
    return PendingWork(reviews=list(pending_reviews_of([user])),
                       sessions=_open_sessions_of(user))


ACCESS_STEPS = ("user.deactivate", "user.reactivate", "account.close", "person.anonymise")


def last_access_step(person):
    """The latest audited change to whether ``person`` may sign in (deactivated,
    reactivated, account closed or anonymised), with its actor, date and reason; or None."""
    from fundapp.core.audit import audit_trail_for

    return (audit_trail_for(person).filter(verb__in=ACCESS_STEPS)
            .order_by("-created_at", "-id").first())


def donor_choices(user) -> list[tuple[int, str]]:
    """The donor records a donor-staff invitation may name."""
    from donors.selectors.donors import donors_visible_to

    return list(donors_visible_to(user).order_by("name", "id").values_list("id", "name"))


@dataclass
class PersonMatch:
    """A possible match of a person's name on the current sanctions list, cleared or not."""

    subject_value: str
    entry_reference: str
    entry_name: str
    matched_name: str
    score: float
    clearance: object = None  # the audit event that cleared it

    @property
    def is_cleared(self) -> bool:
        return self.clearance is not None


PERSON_CLEAR_VERB = "sanctions.person_clear"


def _screened(person) -> bool:
    return Role.BOARD in roles_of(person) or BoardMembership.objects.filter(
        user=person).exists()


def _clearances(person) -> dict[tuple, object]:
    from django.contrib.contenttypes.models import ContentType

    from fundapp.core.audit import AuditEvent

    events = AuditEvent.objects.filter(
        verb=PERSON_CLEAR_VERB, target_id=str(person.pk),
        target_type=ContentType.objects.get_for_model(User)).select_related("actor")
    return {(e.after.get("subject_value"), e.after.get("entry"), e.after.get("matched_name")): e
            for e in events.order_by("created_at")}


def person_sanctions_matches(person) -> list[PersonMatch]:
    """A Board member's possible matches on the sanctions list in force (their name against
    listed individuals, by the screening's own matching), each with its clearance if any."""
    from grants.models import SanctionsEntry, SanctionsEntryKind
    from grants.services.sanctions import person_subjects, subject_hits

    if not _screened(person):
        return []
    subjects = person_subjects(person.get_full_name())
    if not subjects:
        return []
    entries = list(SanctionsEntry.objects.filter(kind=SanctionsEntryKind.INDIVIDUAL))
    cleared = _clearances(person)
    return [PersonMatch(h.subject_value, h.entry_reference, h.entry_name, h.matched_name,
                        h.score, cleared.get((h.subject_value, h.entry_reference,
                                              h.matched_name)))
            for h in subject_hits(subjects, entries)]


def uncleared_person_matches(person) -> list[PersonMatch]:
    return [m for m in person_sanctions_matches(person) if not m.is_cleared]


def admin_sanctions_matches(person):
    """Possible matches of an organisation's admin, found by screening its applications
    (reviewed and cleared there, like the organisation's own)."""
    from grants.models import MatchSubject, OrgRole, SanctionsMatch

    membership = getattr(person, "membership", None) if hasattr(person, "membership") \
        else None
    name = person.get_full_name().strip()
    if membership is None or membership.role != OrgRole.ADMIN or not name:
        return SanctionsMatch.objects.none()
    return (SanctionsMatch.objects.filter(application__organisation=membership.organisation_id,
                                          subject=MatchSubject.PERSON, subject_value=name)
            .select_related("application").order_by("application_id", "id"))
