"""The Board of Trustees: membership, sessions, votes, closing, and reserve-list offers.

Voting and closing both take the session's row lock first, so a vote either lands before
the close (and is in the signed hash) or finds the session closed (409). Every change
refused because a session is closed is itself written to the audit trail. The decision
rules are in ``grants.selectors.board`` (module docstring). Other rules chosen here:

- One Chair at a time: no two Chair terms may overlap, nor two terms of the same person.
- A written procedure takes votes between its opening and closing times; the Chair may
  close it early only once every member has voted on every item.
- A recusal is final (the member no longer sees the item's votes), and may be recorded
  after a vote when a conflict comes to light late: it replaces that vote.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Count, Prefetch, Q, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fundapp.accounts.models import User
from fundapp.accounts.roles import Role, has_role, user_can
from fundapp.accounts.selectors import users_with_role
from fundapp.core.audit import audit_record
from fundapp.core.errors import (
    Errors,
    FundError,
    NotAllowed,
    StateConflict,
    ValidationFailed,
)
from fundapp.core.fsm import run_transition
from fundapp.core.locks import lock
from fundapp.core.formatting import money
from fundapp.core.money import CENT
from fundapp.notifications.services import notify
from grants.models import (
    AgendaItem,
    Application,
    ApplicationStatus,
    BallotDraft,
    BoardMembership,
    BoardRole,
    BoardSession,
    Call,
    CallStatus,
    Decision,
    PortfolioItem,
    SessionKind,
    SessionStatus,
    Vote,
    VoteChoice,
)
from grants.selectors.board import (
    ZERO,
    BudgetPosition,
    SessionOverview,
    committed_to_grants_usd,
    current_recommendation,
    organisation_users,
    session_board,
    session_overview,
    sitting_memberships,
    votes_hash,
)

from .awards import grant_create

UNDECIDED = (ApplicationStatus.RECOMMENDED, ApplicationStatus.NOT_RECOMMENDED)
REMIND_BEFORE = timedelta(hours=48)
TEXT_MAX = 4000


class SessionClosed(StateConflict):
    default_message = gettext_lazy("This session is closed: its decisions can no longer "
                                   "change.")


def _require(actor, capability: str) -> None:
    if not user_can(actor, capability):
        raise NotAllowed()


def _text(value: str | None, field: str) -> str:
    value = (value or "").strip()
    if len(value) > TEXT_MAX:
        raise ValidationFailed.on(field, _("At most 4,000 characters."))
    return value


def _amount(value, field: str, requested: Decimal) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value))
        exact = amount.is_finite() and amount == amount.quantize(CENT)
    except InvalidOperation:
        exact = False
    if not exact or amount <= 0:
        raise ValidationFailed.on(
            field, _("Enter an amount above zero with at most two decimals."))
    if amount > requested:
        raise ValidationFailed.on(
            field, _("The amount cannot exceed the %(requested)s requested.")
            % {"requested": money(requested)})
    return amount.quantize(CENT)


# --- membership --------------------------------------------------------------------------


def _overlapping(qs, start: date, end: date | None):
    qs = qs.filter(Q(term_end__isnull=True) | Q(term_end__gte=start))
    return qs if end is None else qs.filter(term_start__lte=end)


def _check_term(*, user: User, role: str, start: date, end: date | None,
                exclude: int | None = None) -> None:
    if end is not None and end < start:
        raise ValidationFailed.on(
            "term_end", _("A term ends on or after the day it starts."))
    others = BoardMembership.objects.exclude(pk=exclude)
    if _overlapping(others.filter(user=user), start, end).exists():
        raise ValidationFailed.on(
            "user", _("%(name)s already has a seat for part of this term.") % {
                "name": user.display_name})
    if role == BoardRole.CHAIR and _overlapping(others.filter(role=BoardRole.CHAIR), start,
                                                end).exists():
        raise ValidationFailed.on(
            "role", _("The board already has a Chair for part of this term: end that term first."))


def _lock_board() -> None:
    """Serialise membership changes (so two Chairs are never appointed at once)."""
    group, _created = Group.objects.get_or_create(name=Role.BOARD)
    lock(Group, group.pk)


@transaction.atomic
def board_membership_add(*, actor, user: User, role: str, term_start: date,
                         term_end: date | None = None) -> BoardMembership:
    _require(actor, "board.manage")
    if role not in BoardRole.values:
        raise ValidationFailed.on("role", _("Chair or member."))
    if not has_role(user, Role.BOARD):
        raise ValidationFailed.on(
            "user", _("Give %(name)s the board member role first.") % {"name": user.display_name})
    _lock_board()
    _check_term(user=user, role=role, start=term_start, end=term_end)
    membership = BoardMembership.objects.create(user=user, role=role, term_start=term_start,
                                                term_end=term_end, created_by=actor)
    audit_record(actor=actor, verb="board.membership.add", target=membership,
                 after=_membership_snapshot(membership))
    from grants.services.people import board_member_screen

    board_member_screen(member=user)
    return membership


@transaction.atomic
def board_membership_end(*, actor, membership: BoardMembership,
                         term_end: date) -> BoardMembership:
    """Set (or move) the end of a term."""
    _require(actor, "board.manage")
    _lock_board()
    membership = lock(BoardMembership, membership.pk)
    before = _membership_snapshot(membership)
    _check_term(user=membership.user, role=membership.role, start=membership.term_start,
                end=term_end, exclude=membership.pk)
    membership.term_end = term_end
    membership.save(update_fields=["term_end"])
    audit_record(actor=actor, verb="board.membership.end", target=membership, before=before,
                 after=_membership_snapshot(membership))
    return membership


def _membership_snapshot(m: BoardMembership) -> dict:
    return {"user": m.user.username, "role": m.role, "term_start": m.term_start,
            "term_end": m.term_end}


# --- sessions ----------------------------------------------------------------------------


def _check_schedule(kind: str, meeting_date, opens_at, closes_at) -> None:
    if kind not in SessionKind.values:
        raise ValidationFailed.on("kind", _("A meeting or a written procedure."))
    if kind == SessionKind.MEETING and meeting_date is None:
        raise ValidationFailed.on("meeting_date", _("Give the meeting's date."))
    if kind == SessionKind.WRITTEN:
        if opens_at is None or closes_at is None:
            raise ValidationFailed.on(
                "closes_at", _("A written procedure needs the times voting opens and closes."))
        if closes_at <= opens_at or closes_at <= timezone.now():
            raise ValidationFailed.on(
                "closes_at", _("Voting must close after it opens, and in the future."))


def _agenda_sources(call: Call) -> tuple[object, list[PortfolioItem]]:
    """The current finalised recommendation: included items by rank, then the reserve."""
    recommendation = current_recommendation(call)
    if recommendation is None:
        raise StateConflict(_("The call has no finalised portfolio recommendation yet."))
    items = (PortfolioItem.objects.filter(recommendation=recommendation)
             .filter(Q(included=True) | Q(reserve_position__isnull=False))
             .filter(application__status__in=UNDECIDED).select_related("application"))
    ordered = sorted(items, key=lambda i: (not i.included, i.reserve_position or 0,
                                           i.rank or 0, i.pk))
    return recommendation, ordered


def _board_ready(day: date) -> list[BoardMembership]:
    members = list(sitting_memberships(day))
    if not any(m.role == BoardRole.CHAIR for m in members):
        raise StateConflict(_("No Chair sits on the board on %(day)s: record the board's "
                              "membership first.") % {"day": day.isoformat()})
    return members


def _open_session(*, actor, call: Call, kind: str, items: list[PortfolioItem], recommendation,
                  **fields) -> BoardSession:
    if BoardSession.objects.filter(call=call, status=SessionStatus.OPEN).exists():
        raise StateConflict(_("A session on this call is already open: close it first."))
    session = BoardSession(call=call, kind=kind, recommendation=recommendation,
                           created_by=actor, **fields)
    members = _board_ready(session.sitting_date)
    session.save()
    AgendaItem.objects.bulk_create([
        AgendaItem(session=session, application=p.application, portfolio_item=p, position=n,
                   on_reserve=not p.included, reserve_position=p.reserve_position,
                   requested_usd=p.requested_usd)
        for n, p in enumerate(items, start=1)])
    audit_record(actor=actor, verb="board.session.create", target=session, after={
        "call": call.number, "kind": kind, "recommendation": getattr(recommendation, "pk", None),
        "agenda": [p.application_id for p in items],
        **{k: v for k, v in fields.items() if v is not None}})
    _notify_opened(session, [m.user for m in members], len(items))
    return session


@transaction.atomic
def board_session_create(*, actor, call: Call, kind: str, meeting_date: date | None = None,
                         opens_at: datetime | None = None,
                         closes_at: datetime | None = None) -> BoardSession:
    """A session on the call's finalised recommendation (secretariat)."""
    _require(actor, "board.manage")
    _check_schedule(kind, meeting_date, opens_at, closes_at)
    call = lock(Call, call.pk)
    recommendation, items = _agenda_sources(call)
    if not items:
        raise StateConflict(_("Every application of the recommendation is already decided."))
    schedule = ({"meeting_date": meeting_date} if kind == SessionKind.MEETING
                else {"opens_at": opens_at, "closes_at": closes_at})
    return _open_session(actor=actor, call=call, kind=kind, items=items,
                         recommendation=recommendation, **schedule)


@transaction.atomic
def board_reserve_offer(*, actor, call: Call, closes_at: datetime,
                        opens_at: datetime | None = None) -> BoardSession:
    """Offer the amount freed on a call to the next reserve application, by written procedure.

    Freed: the call's envelope minus what its grants (not cancelled) commit. The next reserve
    application is the first on the current recommendation's reserve list not yet decided.
    """
    _require(actor, "board.manage")
    opens_at = opens_at or timezone.now()
    _check_schedule(SessionKind.WRITTEN, None, opens_at, closes_at)
    call = lock(Call, call.pk)
    freed = call.envelope_usd - committed_to_grants_usd(call)
    if freed <= 0:
        raise StateConflict(_("No amount is freed on this call: its grants commit the whole "
                              "envelope."))
    recommendation, items = _agenda_sources(call)
    reserve = [p for p in items if p.reserve_position is not None]
    if not reserve:
        raise StateConflict(_("The call's reserve list is exhausted."))
    session = _open_session(actor=actor, call=call, kind=SessionKind.WRITTEN,
                            items=reserve[:1], recommendation=recommendation,
                            opens_at=opens_at, closes_at=closes_at, is_reserve_offer=True,
                            offered_usd=freed)
    audit_record(actor=actor, verb="board.reserve.offer", target=session, after={
        "application": reserve[0].application_id, "offered_usd": freed})
    return session


def _session_url(session: BoardSession) -> str:
    return reverse("grants:board-session", args=[session.pk])


def _notify_opened(session: BoardSession, members: list[User], n_items: int) -> None:
    notify(recipients=members, kind="board_session_opened", target=session,
           data={"call_number": session.call.number, "kind": session.kind, "items": n_items,
                 "meeting_date": session.meeting_date.isoformat() if session.meeting_date
                 else "",
                 "closes_at": session.closes_at.isoformat() if session.closes_at else "",
                 "reserve": session.is_reserve_offer, "url": _session_url(session)},
           dedupe_key=f"board_session_opened:{session.pk}")


# --- refusals after closing --------------------------------------------------------------


def _refused(*, actor, session: BoardSession, verb: str, attempted: dict) -> None:
    """Record a change refused on a closed session (its own transaction, which commits)."""
    with transaction.atomic():
        audit_record(actor=actor, verb=f"{verb}.refused", target=session, after=attempted,
                     note="session closed")


def _open_locked(session: BoardSession) -> BoardSession:
    session = lock(BoardSession, session.pk)
    if not session.is_open:
        raise SessionClosed()
    return session


def _item(session: BoardSession, application) -> AgendaItem:
    item = (AgendaItem.objects.select_related("application")
            .filter(session=session, application_id=getattr(application, "pk", application))
            .first())
    if item is None:
        raise ValidationFailed.on(
            "application", _("This application is not on the session's agenda."))
    return item


# --- votes -------------------------------------------------------------------------------


def _clean_vote(item: AgendaItem, vote: str, amount, conditions: str, feedback: str) -> dict:
    if vote not in VoteChoice.values:
        raise ValidationFailed.on("vote", _("Approve, decline, abstain or recuse."))
    amount = _amount(amount, "amount_usd", item.requested_usd)
    conditions, feedback = _text(conditions, "conditions"), _text(feedback, "feedback")
    errors = Errors()
    if amount is not None and vote != VoteChoice.APPROVE:
        errors.add("amount_usd", _("An amount goes only with an approval."))
    if conditions and vote != VoteChoice.APPROVE:
        errors.add("conditions", _("Conditions go only with an approval."))
    if vote == VoteChoice.DECLINE and not feedback:
        errors.add("feedback", _("Give the applicant the board's feedback with a decline."))
    elif feedback and vote not in (VoteChoice.APPROVE, VoteChoice.DECLINE):
        errors.add("feedback", _("Feedback goes with an approval or a decline."))
    errors.raise_if_any()
    return {"vote": vote, "amount_usd": amount, "conditions": conditions, "feedback": feedback}


def _vote_snapshot(vote: Vote | None) -> dict:
    if vote is None:
        return {}
    return {"vote": vote.vote, "amount_usd": vote.amount_usd, "conditions": vote.conditions,
            "feedback": vote.feedback}


def _check_voter(actor, session: BoardSession) -> None:
    if actor not in session_board(session):
        raise NotAllowed(_("Only members sitting on the board on %(day)s vote in this "
                           "session.") % {"day": session.sitting_date.isoformat()})
    window = session.voting_window_state()
    if window == "not_yet":
        raise StateConflict(_("Voting has not opened yet."))
    if window == "ended":
        raise StateConflict(_("Voting has ended; the Chair closes the session."))
    from grants.services.people import board_member_check_sanctions

    board_member_check_sanctions(actor)


def _checked_vote(item: AgendaItem, values: dict, existing: Vote | None) -> dict:
    """The member's vote on ``item`` cleaned, or the reason it is refused."""
    if item.application.status == ApplicationStatus.WITHDRAWN:
        raise StateConflict(_("The applicant has withdrawn this application."))
    values = _clean_vote(item, **values)
    if existing is not None and existing.vote == VoteChoice.RECUSE:
        raise StateConflict(_("You recused yourself from this application; a recusal is "
                              "final."))
    return values


def _record_vote(*, actor, session: BoardSession, item: AgendaItem, values: dict,
                 existing: Vote | None, note: str = "") -> Vote:
    before = _vote_snapshot(existing)
    row = existing or Vote(session=session, item=item, member=actor)
    for name, value in values.items():
        setattr(row, name, value)
    row.save()
    audit_record(actor=actor, verb="board.vote", target=session,
                 before={"application": item.application_id, **before},
                 after={"application": item.application_id, **_vote_snapshot(row)}, note=note)
    return row


@transaction.atomic
def _vote_cast(*, actor, session, application, values: dict) -> Vote:
    session = _open_locked(session)
    _check_voter(actor, session)
    item = _item(session, application)
    existing = Vote.objects.filter(item=item, member=actor).first()
    values = _checked_vote(item, values, existing)
    return _record_vote(actor=actor, session=session, item=item, values=values,
                        existing=existing)


def board_vote_cast(*, actor, session: BoardSession, application, vote: str,
                    amount_usd=None, conditions: str = "", feedback: str = "") -> Vote:
    """Cast or change a member's vote on an agenda item (sitting members, until closing)."""
    if not has_role(actor, Role.BOARD):
        raise NotAllowed(_("Only board members vote."))
    values = {"vote": vote, "amount": amount_usd, "conditions": conditions,
              "feedback": feedback}
    try:
        return _vote_cast(actor=actor, session=session, application=application, values=values)
    except SessionClosed:
        _refused(actor=actor, session=session, verb="board.vote", attempted={
            "application": getattr(application, "pk", application), **values})
        raise


@transaction.atomic
def _set_amount(*, actor, session, application, amount_usd, reason) -> AgendaItem:
    session = _open_locked(session)
    if session_board(session).chair_id != actor.pk:
        raise NotAllowed(_("Only the Chair sets the approved amount."))
    item = _item(session, application)
    amount = _amount(amount_usd, "amount_usd", item.requested_usd)
    reason = _text(reason, "reason")
    if amount is not None and not reason:
        raise ValidationFailed.on(
            "reason", _("Say why the amount differs from the lowest approving vote."))
    before = {"application": item.application_id, "amount_usd": item.chair_amount_usd,
              "reason": item.chair_amount_reason}
    item.chair_amount_usd, item.chair_amount_reason = amount, reason if amount else ""
    item.save(update_fields=["chair_amount_usd", "chair_amount_reason"])
    audit_record(actor=actor, verb="board.chair_amount", target=session, before=before,
                 after={"application": item.application_id, "amount_usd": amount,
                        "reason": item.chair_amount_reason})
    return item


def board_item_set_amount(*, actor, session: BoardSession, application, amount_usd,
                          reason: str = "") -> AgendaItem:
    """The Chair records the approved amount of an item, with a reason (None: the rule)."""
    try:
        return _set_amount(actor=actor, session=session, application=application,
                           amount_usd=amount_usd, reason=reason)
    except SessionClosed:
        _refused(actor=actor, session=session, verb="board.chair_amount", attempted={
            "application": getattr(application, "pk", application),
            "amount_usd": amount_usd, "reason": reason})
        raise


# --- the ballot: every vote of a member at once -----------------------------------------


class BallotInvalid(ValidationFailed):
    """Rows of a ballot refused; nothing of the ballot was recorded.

    ``rows`` maps each refused row's application id to its field errors
    (``{"vote": [...], "amount_usd": [...], ...}``); the API answers
    ``{"votes": {"<application id>": {...}}}``.
    """

    default_message = gettext_lazy("Some rows of the ballot need correcting: none of its "
                                   "votes is recorded yet.")

    def __init__(self, rows: dict, message=None):
        super().__init__(message)
        self.rows = {key: {f: [str(m) for m in ms] for f, ms in errors.items()}
                     for key, errors in rows.items()}

    def as_data(self) -> dict:
        return {"detail": str(self.message),
                "votes": {str(key): errors for key, errors in self.rows.items()}}


@dataclass(frozen=True)
class Ballot:
    """A submitted ballot: the member's vote on each of its rows, and how many changed."""

    votes: list[Vote]
    changed: int


def _application_id(value) -> int | None:
    value = getattr(value, "pk", value)
    text = str(value).strip() if value is not None else ""
    return int(text) if text.isdigit() and len(text) < 12 else None


def _row_values(entry: dict) -> dict:
    return {"vote": str(entry.get("vote") or ""), "amount": entry.get("amount_usd"),
            "conditions": str(entry.get("conditions") or ""),
            "feedback": str(entry.get("feedback") or "")}


def _unchanged(existing: Vote | None, values: dict) -> bool:
    return existing is not None and _vote_snapshot(existing) == values


def _ballot_plan(*, session: BoardSession, actor, entries: list[dict]) -> list[tuple]:
    """Every row checked as a single vote would be; the refused rows all at once."""
    items = {i.application_id: i for i in AgendaItem.objects.select_related("application")
             .filter(session=session)}
    mine = {v.item_id: v for v in Vote.objects.filter(session=session, member=actor)}
    rows, plan, seen = {}, [], set()
    for entry in entries:
        app_id = _application_id(entry.get("application"))
        item = items.get(app_id)
        key = app_id if app_id is not None else str(entry.get("application"))[:20]
        if item is None:
            rows[key] = {"application": [_("This application is not on the session's "
                                           "agenda.")]}
            continue
        if app_id in seen:
            rows[key] = {"application": [_("This application appears twice in the ballot.")]}
            continue
        seen.add(app_id)
        values, existing = _row_values(entry), mine.get(item.pk)
        if (existing is not None and existing.vote == VoteChoice.RECUSE
                and values["vote"] == VoteChoice.RECUSE):
            plan.append((item, None, existing))  # the recusal stands
            continue
        try:
            plan.append((item, _checked_vote(item, values, existing), existing))
        except FundError as exc:
            rows[key] = exc.field_errors or {"vote": [str(exc.message)]}
    if rows:
        raise BallotInvalid(rows)
    return plan


@transaction.atomic
def _ballot_submit(*, actor, session, entries: list[dict]) -> Ballot:
    session = _open_locked(session)
    _check_voter(actor, session)
    if not entries:
        raise ValidationFailed.on("votes", _("Vote on at least one application."))
    plan = _ballot_plan(session=session, actor=actor, entries=entries)
    votes, changed = [], 0
    for item, values, existing in plan:
        if values is None or _unchanged(existing, values):
            votes.append(existing)
            continue
        votes.append(_record_vote(actor=actor, session=session, item=item, values=values,
                                  existing=existing, note="ballot"))
        changed += 1
    BallotDraft.objects.filter(session=session, member=actor).delete()
    audit_record(actor=actor, verb="board.ballot", target=session,
                 after={"applications": [item.application_id for item, _v, _e in plan],
                        "changed": changed})
    return Ballot(votes=votes, changed=changed)


def board_ballot_submit(*, actor, session: BoardSession, votes) -> Ballot:
    """Record a member's votes on several agenda items at once, or none of them.

    ``votes``: one ``{"application", "vote", "amount_usd"?, "conditions"?, "feedback"?}``
    per row. Each row is checked as ``board_vote_cast`` checks a single vote (sitting
    member, session open and in its voting window, application on the agenda and not
    withdrawn, amount, conditions and feedback, a recusal is final); any refused row
    refuses the whole ballot with every refused row named (``BallotInvalid``). A row
    equal to the member's recorded vote is left as it is. The member's draft is deleted.
    """
    if not has_role(actor, Role.BOARD):
        raise NotAllowed(_("Only board members vote."))
    entries = [dict(e) if isinstance(e, dict) else {} for e in votes or []]
    try:
        return _ballot_submit(actor=actor, session=session, entries=entries)
    except SessionClosed:
        _refused(actor=actor, session=session, verb="board.ballot", attempted={
            "applications": [e.get("application") for e in entries]})
        raise


DRAFT_FIELDS = ("vote", "amount_usd", "conditions", "feedback")
DRAFT_AMOUNT_MAX = 32


def _draft_rows(session: BoardSession, votes: dict) -> dict:
    items = {str(i.pk): i for i in AgendaItem.objects.filter(session=session)}
    kept, rows = {}, {}
    for key, values in (votes or {}).items():
        item = items.get(str(key))
        if item is None or not isinstance(values, dict):
            continue
        row = {name: str(values.get(name) or "").strip() for name in DRAFT_FIELDS}
        errors = Errors()
        if row["vote"] and row["vote"] not in VoteChoice.values:
            errors.add("vote", _("Approve, decline, abstain or recuse."))
        if len(row["amount_usd"]) > DRAFT_AMOUNT_MAX:
            errors.add("amount_usd", _("Enter an amount above zero with at most two "
                                       "decimals."))
        for name in ("conditions", "feedback"):
            if len(row[name]) > TEXT_MAX:
                errors.add(name, _("At most 4,000 characters."))
        if errors:
            rows[item.application_id] = errors
        elif any(row.values()):
            kept[str(item.pk)] = row
    if rows:
        raise BallotInvalid(rows)
    return kept


@transaction.atomic
def _draft_save(*, actor, session, votes: dict) -> BallotDraft | None:
    session = _open_locked(session)
    if actor not in session_board(session):
        raise NotAllowed(_("Only members sitting on the board on %(day)s vote in this "
                           "session.") % {"day": session.sitting_date.isoformat()})
    kept = _draft_rows(session, votes)
    draft = BallotDraft.objects.filter(session=session, member=actor).first()
    if not kept:
        if draft is not None:
            draft.delete()
        audit_record(actor=actor, verb="board.ballot.draft", target=session,
                     after={"items": 0})
        return None
    draft = draft or BallotDraft(session=session, member=actor)
    draft.votes = kept
    draft.save()
    audit_record(actor=actor, verb="board.ballot.draft", target=session,
                 after={"items": len(kept)})
    return draft


def board_ballot_draft_save(*, actor, session: BoardSession, votes: dict) -> BallotDraft | None:
    """Keep a member's ballot sheet as typed, to finish later; nothing in it counts.

    ``votes``: per agenda item id, ``{"vote", "amount_usd", "conditions", "feedback"}``
    (text). Rows left empty are not kept; an empty sheet deletes the draft (None).
    """
    if not has_role(actor, Role.BOARD):
        raise NotAllowed(_("Only board members vote."))
    try:
        return _draft_save(actor=actor, session=session, votes=votes)
    except SessionClosed:
        _refused(actor=actor, session=session, verb="board.ballot.draft",
                 attempted={"items": len(votes or {})})
        raise


# --- closing -----------------------------------------------------------------------------


def _budget_message(budget: BudgetPosition) -> str:
    parts = []
    if "envelope" in budget.problems:
        parts.append(_("the call's remaining envelope (%(amount)s)")
                     % {"amount": money(budget.call_remaining_usd)})
    if "fund" in budget.problems:
        parts.append(_("the fund's available balance (%(amount)s)")
                     % {"amount": money(budget.fund_balance_usd)})
    return _("Closing would approve %(total)s, more than %(limits)s. Lower the amounts, or "
             "the Chair records an override with a reason.") % {
        "total": money(budget.total_usd), "limits": _(" and ").join(parts)}


def _check_closable(actor, overview: SessionOverview, reason: str) -> None:
    session = overview.session
    if not overview.is_chair:
        raise NotAllowed(_("Only the Chair closes a session."))
    if (session.kind == SessionKind.WRITTEN and overview.window != "ended"
            and not overview.everyone_voted):
        raise StateConflict(_("The written procedure runs until its closing time; it can "
                              "close early only once every member has voted on every item."))
    if overview.budget.overdraws and not reason:
        raise StateConflict(_budget_message(overview.budget))


def _freeze(overview: SessionOverview) -> None:
    for row in overview.rows:
        item, outcome = row.item, row.outcome
        item.decision, item.approved_usd = outcome.decision, outcome.approved_usd
        counted = [v for v in row.votes if v.member_id in overview.board.ids]
        if outcome.decision == Decision.APPROVED:
            item.conditions = _joined(v.conditions for v in counted
                                      if v.vote == VoteChoice.APPROVE)
        if outcome.decision == Decision.DECLINED:
            item.feedback = _joined(v.feedback for v in counted if v.vote == VoteChoice.DECLINE)
        item.save(update_fields=["decision", "approved_usd", "conditions", "feedback"])


def _joined(texts) -> str:
    return "\n\n".join(dict.fromkeys(t.strip() for t in texts if t and t.strip()))


def _apply(actor, item: AgendaItem) -> None:
    app = lock(Application, item.application_id)
    before = app.status
    if item.decision == Decision.APPROVED:
        app.approve()
    elif item.decision == Decision.DECLINED:
        app.decline()
    else:
        return
    app.save()
    audit_record(actor=actor, verb=f"application.{app.status}", target=app,
                 before={"status": before}, after={"status": app.status,
                                                   "approved_usd": item.approved_usd})
    item.application = app
    if item.decision == Decision.APPROVED:
        grant_create(actor=actor, item=item)


@transaction.atomic
def _session_close(*, actor, session, override_reason: str) -> BoardSession:
    session = _open_locked(session)
    prefetch_related_objects([session], Prefetch("items", queryset=AgendaItem.objects
                                                 .select_related("application__organisation",
                                                                 "application__call")
                                                 .order_by("position", "id")))
    overview = session_overview(session, actor)
    reason = _text(override_reason, "override_reason")
    _check_closable(actor, overview, reason)
    _freeze(overview)
    run_transition(session.close, SessionClosed, by=actor)
    session.votes_hash = votes_hash(session)
    session.approved_total_usd = overview.total_usd
    session.override_reason = reason if overview.budget.overdraws else ""
    session.save()
    _record_close(actor, session, overview)
    for row in overview.rows:
        _apply(actor, row.item)
    _decide_call(actor, session)
    _notify_decisions(session, [row.item for row in overview.rows])
    return session


def board_session_close(*, actor, session: BoardSession,
                        override_reason: str = "") -> BoardSession:
    """The Chair closes: decisions computed, frozen and signed; approvals become grants.

    Blocked (409) when the approvals would overdraw the call's envelope or the fund's
    balance, unless ``override_reason`` says why the Chair overrides.
    """
    try:
        return _session_close(actor=actor, session=session, override_reason=override_reason)
    except SessionClosed:
        _refused(actor=actor, session=session, verb="board.session.close",
                 attempted={"override_reason": override_reason})
        raise


def _record_close(actor, session: BoardSession, overview: SessionOverview) -> None:
    budget = overview.budget
    audit_record(actor=actor, verb="board.session.close", target=session,
                 before={"status": SessionStatus.OPEN},
                 after={"status": session.status, "votes_hash": session.votes_hash,
                        "approved_total_usd": session.approved_total_usd,
                        "decisions": {str(r.item.application_id): [r.outcome.decision,
                                                                   r.outcome.approved_usd]
                                      for r in overview.rows}})
    if session.override_reason:
        audit_record(actor=actor, verb="board.budget_override", target=session,
                     after={"total_usd": budget.total_usd,
                            "call_remaining_usd": budget.call_remaining_usd,
                            "fund_balance_usd": budget.fund_balance_usd,
                            "problems": list(budget.problems)},
                     note=session.override_reason)


def _decide_call(actor, session: BoardSession) -> None:
    """Closing the session that leaves no included application undecided decides the call;
    while one is deferred to a later session the call stays closed, awaiting that decision
    (a reserve left undecided does not hold the call: it waits for a reserve offer)."""
    call = lock(Call, session.call_id)
    if call.status == CallStatus.CLOSED and not session.is_reserve_offer:
        _recommendation, waiting = _agenda_sources(call)
        if any(p.included for p in waiting):
            return
        call.decide()
        call.save()
        audit_record(actor=actor, verb="call.decide", target=call,
                     before={"status": CallStatus.CLOSED}, after={"status": call.status})


def _notify_decisions(session: BoardSession, items: list[AgendaItem]) -> None:
    counts: dict[str, int] = {}
    for item in items:
        counts[item.decision] = counts.get(item.decision, 0) + 1
        if item.decision not in (Decision.APPROVED, Decision.DECLINED):
            continue
        app = item.application
        notify(recipients=organisation_users(app), kind="board_decision", target=app,
               data={"reference": app.reference or "", "title": app.title,
                     "call_number": session.call.number, "decision": item.decision,
                     "approved_usd": str(item.approved_usd) if item.approved_usd else "",
                     "url": reverse("grants:decision-letter", args=[app.pk])},
               dedupe_key=f"board_decision:{item.pk}")
    notify(recipients=users_with_role(Role.SECRETARIAT), kind="board_session_closed",
           target=session,
           data={"call_number": session.call.number, "counts": counts,
                 "total_usd": str(session.approved_total_usd or ZERO),
                 "override": bool(session.override_reason), "url": _session_url(session)},
           dedupe_key=f"board_session_closed:{session.pk}")


# --- reminders ---------------------------------------------------------------------------


def _not_voted(session: BoardSession) -> list[User]:
    board = session_board(session)
    n_items = session.items.count()
    done = dict(Vote.objects.filter(session=session, member_id__in=board.ids)
                .values("member_id").annotate(n=Count("item", distinct=True))
                .values_list("member_id", "n"))
    return [m.user for m in board.members if done.get(m.user_id, 0) < n_items]


@transaction.atomic
def board_vote_reminders_send(*, session: BoardSession, now: datetime | None = None) -> int:
    """Remind the members who have not voted on every item, once per session each."""
    session = lock(BoardSession, session.pk)
    now = now or timezone.now()
    if not session.is_open or session.voting_window_state(now) != "open":
        return 0
    created = notify(recipients=_not_voted(session), kind="board_vote_reminder",
                     target=session,
                     data={"call_number": session.call.number,
                           "closes_at": session.closes_at.isoformat(),
                           "url": _session_url(session)},
                     dedupe_key=f"board_vote_reminder:{session.pk}")
    return len(created)


def board_remind_due(*, now: datetime | None = None) -> int:
    """Written procedures closing within ``REMIND_BEFORE``: remind who has not voted."""
    now = now or timezone.now()
    due = BoardSession.objects.filter(status=SessionStatus.OPEN, kind=SessionKind.WRITTEN,
                                      opens_at__lte=now, closes_at__gt=now,
                                      closes_at__lte=now + REMIND_BEFORE).order_by("pk")
    return sum(board_vote_reminders_send(session=s, now=now) for s in due)
