"""Expert review: rubrics, assignment (by hand and automatic), declarations, scoring.

A review moves assigned → conflict (the reviewer declared a conflict of interest: they leave
the application and the secretariat is told to reassign) or assigned → draft (no conflict:
the application's details open, scoring starts) → submitted (locked).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from fundapp.accounts.models import User
from fundapp.accounts.roles import Role, has_role, user_can
from fundapp.accounts.selectors import users_with_role
from fundapp.core.audit import audit_record
from fundapp.core.errors import NotAllowed, StateConflict, ValidationFailed
from fundapp.core.formatting import run_on
from fundapp.core.fsm import require_transition
from fundapp.core.locks import lock
from fundapp.notifications.services import notify
from grants.models import (
    Application,
    ApplicationStatus,
    Call,
    Review,
    ReviewCriterion,
    ReviewerProfile,
    ReviewScore,
    ReviewStatus,
)
from grants.models.reviews import ACTIVE_REVIEW, PENDING_REVIEW, SCORE_MAX, SCORE_MIN
from grants.selectors.reviews import call_has_scores, conflicted_reviewer_ids, reviewer_loads

MIN_REVIEWERS = 2
ASSIGNABLE = (ApplicationStatus.ELIGIBLE, ApplicationStatus.UNDER_REVIEW)
REMIND_AFTER = timedelta(days=7)  # since assignment, then between reminders
DEFAULT_CRITERIA = (
    ("relevance", "Relevance to the call's priorities",
     "Pertinence au regard des priorités de l'appel"),
    ("victim-centred", "Victim-centred and rights-based approach",
     "Approche centrée sur les victimes et fondée sur les droits"),
    ("feasibility", "Feasibility and work plan", "Faisabilité et plan de travail"),
    ("capacity", "Organisational capacity and track record",
     "Capacité organisationnelle et expérience"),
    ("cost-effectiveness", "Cost-effectiveness", "Rapport coût-efficacité"),
    ("sustainability", "Sustainability", "Durabilité"),
)


def _require(actor, capability: str) -> None:
    if not user_can(actor, capability):
        raise NotAllowed()


# --- the rubric ------------------------------------------------------------------------


@transaction.atomic
def call_rubric_ensure_defaults(*, call: Call, actor=None) -> list[ReviewCriterion]:
    """The call's rubric; the six default criteria (equal weights) when it has none."""
    criteria = list(call.review_criteria.order_by("position", "id"))
    if criteria:
        return criteria
    lock(Call, call.pk)
    criteria = list(call.review_criteria.order_by("position", "id"))
    if not criteria:
        criteria = ReviewCriterion.objects.bulk_create([
            ReviewCriterion(call=call, code=code, name_en=en, name_fr=fr, weight=Decimal("1"),
                            position=i)
            for i, (code, en, fr) in enumerate(DEFAULT_CRITERIA)])
        audit_record(actor=actor, verb="rubric.defaults", target=call,
                     after={"criteria": [c.code for c in criteria]})
    return criteria


def _validate_rubric(criteria: list[dict]) -> None:
    errors: list[str] = []
    codes = [c.get("code") for c in criteria]
    if not criteria:
        errors.append(_("A rubric needs at least one criterion."))
    if len(set(codes)) != len(codes):
        errors.append(_("Each criterion needs its own code."))
    if any(not c.get("code") or not c.get("name_en") for c in criteria):
        errors.append(_("Each criterion needs a code and an English name."))
    if any(c.get("weight") is None or c["weight"] <= 0 for c in criteria):
        errors.append(_("Weights must be greater than zero."))
    if errors:
        raise ValidationFailed.on("criteria", *errors)


@transaction.atomic
def call_rubric_update(*, actor, call: Call, criteria: list[dict]) -> list[ReviewCriterion]:
    """Replace the rubric: allowed until the first score is given on the call."""
    _require(actor, "review.manage")
    call = lock(Call, call.pk)
    if call_has_scores(call):
        raise StateConflict(_("Reviewers have started scoring: the rubric can no longer "
                              "change."))
    _validate_rubric(criteria)
    before = [(c.code, str(c.weight)) for c in call.review_criteria.all()]
    keep = {c["code"] for c in criteria}
    ReviewScore.objects.filter(criterion__call=call).exclude(criterion__code__in=keep).delete()
    call.review_criteria.exclude(code__in=keep).delete()
    existing = {c.code: c for c in call.review_criteria.all()}
    for i, values in enumerate(criteria):
        criterion = existing.get(values["code"]) or ReviewCriterion(call=call,
                                                                   code=values["code"])
        criterion.name_en, criterion.name_fr = values["name_en"], values.get("name_fr") or ""
        criterion.weight, criterion.position = values["weight"], i
        criterion.save()
    audit_record(actor=actor, verb="rubric.update", target=call, before={"criteria": before},
                 after={"criteria": [(c["code"], str(c["weight"])) for c in criteria]})
    return list(call.review_criteria.order_by("position", "id"))


# --- assignment ------------------------------------------------------------------------


def reviewer_pool() -> QuerySet[User]:
    return users_with_role(Role.REVIEWER).order_by("pk")


def _assign_one(*, actor, app: Application, reviewer: User) -> Review:
    review = Review.objects.create(application=app, reviewer=reviewer, assigned_by=actor)
    audit_record(actor=actor, verb="review.assign", target=app,
                 after={"reviewer": reviewer.username, "review": review.pk})
    notify(recipients=[reviewer], kind="review_assigned", target=review,
           data={"reference": app.reference, "call_number": app.call.number,
                 "url": f"/reviews/{review.pk}/"},
           dedupe_key=f"review_assigned:{review.pk}")
    return review


def _start_review(app: Application) -> None:
    if app.status == ApplicationStatus.ELIGIBLE:
        app.start_review()
        app.save()


def _assignable(application: Application) -> Application:
    app = lock(Application, application.pk)
    if app.status not in ASSIGNABLE:
        raise StateConflict(_("Reviewers are assigned to eligible applications; this one is "
                              "%(status)s.") % {"status": app.get_status_display().lower()})
    return app


@transaction.atomic
def reviewers_assign(*, actor, application: Application,
                     reviewers: Iterable[User]) -> list[Review]:
    """Assign reviewers by hand; those already assigned are left as they are."""
    _require(actor, "application.assign_reviewers")
    app = _assignable(application)
    reviewers = list(reviewers)
    pool = set(reviewer_pool().values_list("pk", flat=True))
    errors = [_("%(name)s is not in the reviewer pool.") % {"name": r.username}
              for r in reviewers if r.pk not in pool]
    conflicted = conflicted_reviewer_ids(app)
    errors += [_("%(name)s has declared a conflict with this organisation or its country.")
               % {"name": r.username} for r in reviewers if r.pk in conflicted]
    if errors:
        raise ValidationFailed.on("reviewers", *errors)
    call_rubric_ensure_defaults(call=app.call, actor=actor)
    already = set(app.reviews.values_list("reviewer_id", flat=True))
    created = [_assign_one(actor=actor, app=app, reviewer=r) for r in reviewers
               if r.pk not in already]
    if app.reviews.filter(status__in=ACTIVE_REVIEW).exists():
        _start_review(app)
    return created


@dataclass
class AutoAssignment:
    assigned: dict[int, list[int]] = field(default_factory=dict)  # application → reviewers
    short: dict[int, int] = field(default_factory=dict)  # application → reviewers missing


def _needing(call: Call | None, applications) -> list[Application]:
    if applications is not None:
        return sorted(applications, key=lambda a: a.pk)
    return list(Application.objects.filter(call=call, status__in=ASSIGNABLE).order_by("pk"))


def _pick(app: Application, candidates: list[User], loads: dict[int, int], wanted: int,
          excluded: set[int]) -> list[User]:
    """The ``wanted`` eligible reviewers with the fewest assignments (ties: lowest id)."""
    eligible = [u for u in candidates if u.pk not in excluded]
    eligible.sort(key=lambda u: (loads.get(u.pk, 0), u.pk))
    return eligible[:wanted]


@transaction.atomic
def reviewers_assign_auto(*, actor, call: Call | None = None, applications=None,
                          per_application: int = MIN_REVIEWERS) -> AutoAssignment:
    """Give each eligible application at least ``per_application`` active reviewers.

    Balanced: the reviewers with the fewest assignments in the call come first, ties broken
    by user id, so the result is deterministic. Never a reviewer who has a conflict with the
    organisation or its country, nor one already assigned (or conflicted) on the application.
    """
    _require(actor, "application.assign_reviewers")
    if per_application < 1:
        raise ValidationFailed.on("per_application", _("At least one."))
    apps = _needing(call, applications)
    call = lock(Call, call.pk if call is not None else apps[0].call_id) if apps else call
    candidates = list(reviewer_pool())
    if apps and not candidates:
        raise ValidationFailed(_("The reviewer pool is empty: give reviewers the reviewer "
                                 "role first."))
    loads = {pk: row["total"] for pk, row in reviewer_loads(call).items()}
    result = AutoAssignment()
    for app in apps:
        app = _assignable(app)
        current = list(app.reviews.values_list("reviewer_id", "status"))
        active = sum(1 for _pk, status in current if status in ACTIVE_REVIEW)
        wanted = per_application - active
        if wanted <= 0:
            continue
        excluded = {pk for pk, _status in current} | conflicted_reviewer_ids(app)
        chosen = _pick(app, candidates, loads, wanted, excluded)
        if chosen:
            reviewers_assign(actor=actor, application=app, reviewers=chosen)
            result.assigned[app.pk] = [u.pk for u in chosen]
            for u in chosen:
                loads[u.pk] = loads.get(u.pk, 0) + 1
        if len(chosen) < wanted:
            result.short[app.pk] = wanted - len(chosen)
    return result


@transaction.atomic
def review_unassign(*, actor, review: Review) -> None:
    _require(actor, "application.assign_reviewers")
    review = lock(Review, review.pk)
    if review.status == ReviewStatus.SUBMITTED:
        raise StateConflict(_("A submitted review cannot be withdrawn."))
    audit_record(actor=actor, verb="review.unassign", target=review.application,
                 before={"reviewer": review.reviewer.username, "status": review.status})
    review.delete()


@transaction.atomic
def reviewer_profile_update(*, actor, user: User, values: dict) -> ReviewerProfile:
    """External or staff, expertise, and the organisations and countries of conflict."""
    _require(actor, "review.manage")
    if not has_role(user, Role.REVIEWER):
        raise ValidationFailed(_("This user is not a reviewer."))
    profile, _created = ReviewerProfile.objects.get_or_create(user=user)
    before = _profile_snapshot(profile)
    for name in ("is_external", "expertise", "conflict_countries"):
        if name in values:
            setattr(profile, name, values[name])
    profile.save()
    if "conflict_organisations" in values:
        profile.conflict_organisations.set(values["conflict_organisations"])
    audit_record(actor=actor, verb="reviewer.update", target=user, before=before,
                 after=_profile_snapshot(profile))
    return profile


def _profile_snapshot(profile: ReviewerProfile) -> dict:
    return {"is_external": profile.is_external, "expertise": profile.expertise,
            "conflict_countries": [c.code for c in profile.conflict_countries],
            "conflict_organisations": sorted(
                profile.conflict_organisations.values_list("pk", flat=True)) if profile.pk
            else []}


# --- the reviewer's part ---------------------------------------------------------------


def _own(actor, review: Review) -> Review:
    if not has_role(actor, Role.REVIEWER) or review.reviewer_id != actor.pk:
        raise NotAllowed(_("Only the assigned reviewer can do this."))
    return lock(Review, review.pk)


@transaction.atomic
def review_declare(*, actor, review: Review, conflict: bool, note: str = "") -> Review:
    """Declare a conflict of interest, or none, before seeing the application's details."""
    review = _own(actor, review)
    if review.status != ReviewStatus.ASSIGNED:
        raise StateConflict(_("You have already made your declaration for this application."))
    review.conflict_note = (note or "").strip()[:3000]
    if conflict:
        review.declare_conflict()
    else:
        review.declare_no_conflict()
    review.save()
    app = review.application
    audit_record(actor=actor, verb="review.declare", target=app,
                 after={"review": review.pk, "conflict": conflict}, note=review.conflict_note)
    if conflict:
        notify(recipients=users_with_role(Role.SECRETARIAT), kind="review_conflict_declared",
               target=app,
               data={"reference": app.reference, "reviewer": actor.display_name,
                     "note": review.conflict_note, "url": f"/manage/applications/{app.pk}/"
                                                          "reviewers/"},
               dedupe_key=f"review_conflict:{review.pk}")
    return review


def _score_errors(criteria: dict[str, ReviewCriterion], scores: dict, comments: dict) -> list:
    errors = []
    unknown = sorted((set(scores) | set(comments)) - set(criteria))
    if unknown:
        errors.append(_("Not a criterion of this call's rubric: %(codes)s.")
                      % {"codes": ", ".join(unknown)})
    for code, value in scores.items():
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not (
                SCORE_MIN <= value <= SCORE_MAX):
            errors.append(_("Scores run from 1 to 5: %(value)s for “%(criterion)s” is not "
                            "allowed.") % {"value": value, "criterion": code})
    return errors


@transaction.atomic
def review_save(*, actor, review: Review, scores: dict | None = None,
                comments: dict | None = None, comment: str | None = None) -> Review:
    """Save part or all of a draft review: scores 1–5 and comments per criterion code."""
    review = _own(actor, review)
    if review.status == ReviewStatus.ASSIGNED:
        raise StateConflict(_("Declare whether you have a conflict of interest first."))
    if review.status != ReviewStatus.DRAFT:
        raise StateConflict(_("This review is submitted and can no longer change."))
    scores, comments = scores or {}, comments or {}
    criteria = {c.code: c for c in call_rubric_ensure_defaults(call=review.application.call)}
    errors = _score_errors(criteria, scores, comments)
    if errors:
        raise ValidationFailed.on("scores", *errors)
    existing = {s.criterion.code: s for s in review.scores.select_related("criterion")}
    before = {code: s.score for code, s in existing.items()}
    for code in set(scores) | set(comments):
        row = existing.get(code) or ReviewScore(review=review, criterion=criteria[code])
        if code in scores:
            row.score = scores[code]
        if code in comments:
            row.comment = (comments[code] or "")[:5000]
        row.save()
    if comment is not None:
        review.comment = comment[:10000]
    review.save()
    audit_record(actor=actor, verb="review.save", target=review.application,
                 before={"review": review.pk, "scores": before},
                 after={"review": review.pk, "scores": {c: s.score for c, s in
                                                        _scores_of(review).items()}})
    return review


def _scores_of(review: Review) -> dict[str, ReviewScore]:
    return {s.criterion.code: s for s in review.scores.select_related("criterion")}


@transaction.atomic
def review_submit(*, actor, review: Review) -> Review:
    """Submit a complete review; it is locked from then on."""
    review = _own(actor, review)
    require_transition(review.submit, _("Only a review in progress can be submitted.")
                       if review.status != ReviewStatus.SUBMITTED
                       else _("This review is already submitted."))
    criteria = call_rubric_ensure_defaults(call=review.application.call)
    scored = {code for code, s in _scores_of(review).items() if s.score is not None}
    missing = [c.name for c in criteria if c.code not in scored]
    if missing:
        raise ValidationFailed.on(
            "scores", _("Score every criterion before submitting. Missing: %(names)s.")
            % {"names": run_on(missing)})
    review.submit()
    review.save()
    audit_record(actor=actor, verb="review.submit", target=review.application,
                 after={"review": review.pk, "scores": {c: s.score for c, s in
                                                        _scores_of(review).items()}})
    return review


# --- reminders -------------------------------------------------------------------------


def _due_for_reminder(now: datetime, call: Call | None) -> QuerySet[Review]:
    qs = Review.objects.filter(status__in=PENDING_REVIEW,
                               application__status=ApplicationStatus.UNDER_REVIEW,
                               reviewer__is_active=True, assigned_at__lte=now - REMIND_AFTER)
    if call is not None:
        qs = qs.filter(application__call=call)
    return qs.exclude(last_reminded_at__gt=now - REMIND_AFTER).select_related(
        "reviewer", "application__call")


def reviews_remind_pending(*, actor=None, call: Call | None = None,
                           now: datetime | None = None, force: bool = False) -> int:
    """Remind reviewers of pending reviews, at most once a week each (``force``: now).

    Idempotent: each reminder carries a dedupe key with its number, and the review records
    when it was last reminded, so running twice sends nothing more.
    """
    if actor is not None:
        _require(actor, "review.manage")
    now = now or timezone.now()
    if force:
        qs = Review.objects.filter(status__in=PENDING_REVIEW, reviewer__is_active=True,
                                   application__status=ApplicationStatus.UNDER_REVIEW)
        qs = (qs.filter(application__call=call) if call else qs).select_related(
            "reviewer", "application__call")
    else:
        qs = _due_for_reminder(now, call)
    sent = 0
    for pk in qs.values_list("pk", flat=True):
        sent += _remind_one(pk, now, actor)
    return sent


@transaction.atomic
def _remind_one(pk: int, now: datetime, actor) -> int:
    review = lock(Review, pk)
    if review.status not in PENDING_REVIEW:
        return 0
    app = review.application
    number = review.reminders_sent + 1
    created = notify(recipients=[review.reviewer], kind="review_reminder", target=review,
                     data={"reference": app.reference, "call_number": app.call.number,
                           "declared": review.status == ReviewStatus.DRAFT,
                           "url": f"/reviews/{review.pk}/"},
                     dedupe_key=f"review_reminder:{review.pk}:{number}")
    review.reminders_sent, review.last_reminded_at = number, now
    review.save(update_fields=["reminders_sent", "last_reminded_at"])
    if actor is not None:
        audit_record(actor=actor, verb="review.remind", target=app,
                     after={"review": review.pk, "number": number})
    return len(created)
