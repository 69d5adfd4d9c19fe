"""Reads on the Board of Trustees: who sits, what each person may see, tallies and budget.

The decision rules live here, as a pure function (``item_outcome``), so the session page
shows exactly what closing will decide:

- The session's board is the members sitting on its date (``BoardSession.sitting_date``: the
  meeting date, or the day a written procedure opens). Only they vote, and they alone count
  for the quorum.
- Quorum: more than half of the board's members not recused on the item have voted
  (approve, decline or abstain). No quorum: the item is deferred.
- Approved when approvals outnumber declines, declined when declines outnumber approvals.
  A tie (including 0-0 when everyone abstains) is decided by the Chair's vote when the Chair
  voted approve or decline; otherwise the item is deferred.
- Approved amount: the Chair's amount when the Chair recorded one (with a reason), else the
  lowest amount among the approving votes, where an approval without an amount means the
  full request.
"""

import hashlib
import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from django.apps import apps
from django.db.models import Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from fundapp.accounts.roles import Role, roles_of, user_can
from fundapp.core.money import usd
from grants.models import (
    AgendaItem,
    Application,
    Attachment,
    BallotDraft,
    BoardMembership,
    BoardRole,
    BoardSession,
    Call,
    Decision,
    Disbursement,
    Grant,
    GrantStatus,
    Membership,
    PortfolioItem,
    PortfolioRecommendation,
    Refund,
    Review,
    ReviewCriterion,
    ReviewScore,
    ReviewStatus,
    SessionKind,
    SessionStatus,
    Vote,
    VoteChoice,
)

ZERO = Decimal("0.00")
VOTED = (VoteChoice.APPROVE, VoteChoice.DECLINE, VoteChoice.ABSTAIN)
DECIDED = (Decision.APPROVED, Decision.DECLINED)


# --- membership --------------------------------------------------------------------------


def sitting_on(day: date) -> Q:
    return Q(term_start__lte=day) & (Q(term_end__isnull=True) | Q(term_end__gte=day))


def sitting_memberships(day: date | None = None) -> QuerySet[BoardMembership]:
    day = day or timezone.localdate()
    return (BoardMembership.objects.filter(sitting_on(day), user__is_active=True)
            .select_related("user").order_by("role", "user__last_name", "user__username"))


def membership_list() -> QuerySet[BoardMembership]:
    return BoardMembership.objects.select_related("user").order_by("-term_start", "role", "id")


@dataclass(frozen=True)
class SessionBoard:
    """The members who form a session's board, and its Chair (None if none sits)."""

    members: tuple[BoardMembership, ...]

    @property
    def ids(self) -> frozenset[int]:
        return frozenset(m.user_id for m in self.members)

    @property
    def chair_id(self) -> int | None:
        return next((m.user_id for m in self.members if m.role == BoardRole.CHAIR), None)

    def __contains__(self, user) -> bool:
        return getattr(user, "pk", None) in self.ids


def session_board(session: BoardSession) -> SessionBoard:
    return SessionBoard(tuple(sitting_memberships(session.sitting_date)))


# --- visibility --------------------------------------------------------------------------


def sessions_visible_to(user) -> QuerySet[BoardSession]:
    """The secretariat and board members see every session; nobody else any."""
    if not user_can(user, "board.view"):
        return BoardSession.objects.none()
    items = AgendaItem.objects.select_related("application__organisation").order_by(
        "position", "id")
    return (BoardSession.objects.select_related("call", "closed_by", "recommendation")
            .prefetch_related(Prefetch("items", queryset=items)))


def session_list(user, *, call=None, status=None, kind=None) -> QuerySet[BoardSession]:
    qs = sessions_visible_to(user)
    if call:
        qs = qs.filter(call_id=call)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-created_at", "-id")


def get_session_for(user, pk) -> BoardSession:
    session = sessions_visible_to(user).filter(pk=pk).first()
    if session is None:
        raise Http404
    return session


def get_item_for(user, session: BoardSession, pk) -> AgendaItem:
    item = next((i for i in session.items.all() if str(i.pk) == str(pk)), None)
    if item is None:
        raise Http404
    return item


def item_for_application(session: BoardSession, application_id) -> AgendaItem | None:
    return next((i for i in session.items.all() if str(i.application_id) == str(application_id)),
                None)


def sees_votes(user, item: AgendaItem, recused_ids: Collection[int], *,
               secret: bool = False) -> bool:
    """A recused member no longer sees the item's votes, nor does a trustee while the
    written procedure keeps them ``secret`` from them; the secretariat and others do."""
    if user.pk in recused_ids or secret:
        return False
    return user_can(user, "board.view")


def votes_kept_secret(session: BoardSession, user, board: SessionBoard | None = None) -> bool:
    """Whether, in this session, ``user`` only sees an item's votes once they voted on it.

    A written procedure, while open: every trustee (sitting or not) votes without seeing how
    the others voted. Who has voted stays visible (the Chair needs it to close). The
    secretariat, which does not vote, keeps seeing the tallies unless it sits on the board.
    Once the voting window has ended nobody can vote any more, so the Chair sees everything
    before closing.
    """
    if (session.kind != SessionKind.WRITTEN or not session.is_open
            or session.voting_window_state() == "ended"):
        return False
    roles = roles_of(user)
    if Role.SECRETARIAT in roles and Role.BOARD not in roles:
        return False
    return Role.BOARD in roles or user in (board or session_board(session))


# --- the decision rule -------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    decision: str
    approved_usd: Decimal | None
    quorum: bool
    approve: int
    decline: int
    abstain: int
    recuse: int
    eligible: int
    casting_vote: bool = False

    @property
    def voted(self) -> int:
        return self.approve + self.decline + self.abstain

    @property
    def needed(self) -> int:
        """Votes needed for the quorum: more than half of those not recused."""
        return self.eligible // 2 + 1


def item_outcome(*, votes: Iterable[tuple[int, str, Decimal | None]], board: Collection[int],
                 chair_id: int | None, requested_usd: Decimal,
                 chair_amount_usd: Decimal | None = None) -> Outcome:
    """The decision on one item from ``(member id, vote, amount)`` triples.

    Votes of people outside ``board`` (the session's sitting members) do not count.
    """
    counted = {member: (vote, amount) for member, vote, amount in votes if member in board}
    count = {choice: sum(1 for v, _a in counted.values() if v == choice)
             for choice in VoteChoice.values}
    eligible = len(board) - count[VoteChoice.RECUSE]
    voted = sum(count[c] for c in VOTED)
    quorum = eligible > 0 and 2 * voted > eligible
    approve, decline = count[VoteChoice.APPROVE], count[VoteChoice.DECLINE]
    casting = False
    if not quorum:
        decision = Decision.DEFERRED
    elif approve != decline:
        decision = Decision.APPROVED if approve > decline else Decision.DECLINED
    else:
        chair_vote = counted.get(chair_id, (None, None))[0]
        casting = chair_vote in (VoteChoice.APPROVE, VoteChoice.DECLINE)
        decision = {VoteChoice.APPROVE: Decision.APPROVED,
                    VoteChoice.DECLINE: Decision.DECLINED}.get(chair_vote, Decision.DEFERRED)
    amount = None
    if decision == Decision.APPROVED:
        asked = [requested_usd if a is None else a
                 for v, a in counted.values() if v == VoteChoice.APPROVE]
        amount = chair_amount_usd or min(asked, default=requested_usd)
    return Outcome(decision=decision, approved_usd=amount, quorum=quorum, approve=approve,
                   decline=decline, abstain=count[VoteChoice.ABSTAIN],
                   recuse=count[VoteChoice.RECUSE], eligible=eligible, casting_vote=casting)


def outcome_of(item: AgendaItem, votes: Iterable[Vote], board: SessionBoard) -> Outcome:
    if item.application.status == "withdrawn":
        return Outcome(Decision.WITHDRAWN, None, False, 0, 0, 0, 0, len(board.ids))
    return item_outcome(votes=[(v.member_id, v.vote, v.amount_usd) for v in votes],
                        board=board.ids, chair_id=board.chair_id,
                        requested_usd=item.requested_usd,
                        chair_amount_usd=item.chair_amount_usd)


# --- money: the call's envelope and the fund's balance -----------------------------------


def committed_to_grants_usd(call: Call | None = None) -> Decimal:
    """Amounts approved as grants and not cancelled (for one call, or the whole fund); a
    terminated grant commits only what was paid on it."""
    qs = Grant.objects.exclude(status__in=(GrantStatus.CANCELLED, GrantStatus.TERMINATED))
    ended = Disbursement.objects.filter(grant__status=GrantStatus.TERMINATED)
    if call is not None:
        qs, ended = qs.filter(call=call), ended.filter(grant__call=call)
    return ((qs.aggregate(total=Sum("approved_usd"))["total"] or ZERO)
            + (ended.aggregate(total=Sum("amount_usd"))["total"] or ZERO))


def refunded_to_fund_usd() -> Decimal:
    """Unspent funds NGOs returned: back in the fund's available balance."""
    return Refund.objects.aggregate(total=Sum("amount_usd"))["total"] or ZERO


def contributions_received_usd() -> Decimal | None:
    """All contributions received (USD), read from the donors app; None when unknown.

    The donors app is optional here: when it is installed, ``donors.selectors.
    total_received_usd()`` is used if it exists, else the sum of
    ``donors.models.Contribution.amount_usd``. Without either, the balance is unknown and
    the budget guard checks the call's envelope only.
    """
    if not apps.is_installed("donors"):
        return None
    try:
        from donors import selectors as donor_selectors
    except ImportError:
        donor_selectors = None
    total_received = getattr(donor_selectors, "total_received_usd", None)
    if callable(total_received):
        return usd(total_received() or 0)
    try:
        contribution = apps.get_model("donors", "Contribution")
    except LookupError:
        return None
    if not any(f.name == "amount_usd" for f in contribution._meta.get_fields()):
        return None
    return usd(contribution.objects.aggregate(total=Sum("amount_usd"))["total"] or 0)


def fund_available_balance() -> Decimal | None:
    """Contributions received minus amounts committed to grants, plus the refunds of
    unspent funds; None means unlimited."""
    received = contributions_received_usd()
    if received is None:
        return None
    return received - committed_to_grants_usd() + refunded_to_fund_usd()


@dataclass(frozen=True)
class BudgetPosition:
    envelope_usd: Decimal
    committed_call_usd: Decimal
    fund_balance_usd: Decimal | None
    total_usd: Decimal
    problems: tuple[str, ...] = field(default=())

    @property
    def call_remaining_usd(self) -> Decimal:
        return self.envelope_usd - self.committed_call_usd

    @property
    def call_left_after_usd(self) -> Decimal:
        return self.call_remaining_usd - self.total_usd

    @property
    def fund_left_after_usd(self) -> Decimal | None:
        if self.fund_balance_usd is None:
            return None
        return self.fund_balance_usd - self.total_usd

    @property
    def overdraws(self) -> bool:
        return bool(self.problems)


def budget_position(call: Call, total_usd: Decimal) -> BudgetPosition:
    """Where ``total_usd`` (this session's approvals) leaves the call's envelope and the fund."""
    committed = committed_to_grants_usd(call)
    balance = fund_available_balance()
    problems = []
    if total_usd > call.envelope_usd - committed:
        problems.append("envelope")
    if balance is not None and total_usd > balance:
        problems.append("fund")
    return BudgetPosition(envelope_usd=call.envelope_usd, committed_call_usd=committed,
                          fund_balance_usd=balance, total_usd=total_usd,
                          problems=tuple(problems))


# --- one screen per session --------------------------------------------------------------


@dataclass
class ItemRow:
    item: AgendaItem
    outcome: Outcome
    votes: list[Vote]
    my_vote: Vote | None
    recused: bool
    sees_votes: bool
    voted_ids: frozenset[int]
    secret: bool = False  # written procedure: hidden until the viewer has voted on it


@dataclass
class SessionOverview:
    session: BoardSession
    board: SessionBoard
    rows: list[ItemRow]
    budget: BudgetPosition
    window: str
    is_member: bool
    is_chair: bool

    @property
    def total_usd(self) -> Decimal:
        return self.budget.total_usd

    def members_status(self) -> list[tuple[BoardMembership, int, int]]:
        """Per member: items voted on (or recused from), out of all items."""
        n = len(self.rows)
        return [(m, sum(1 for r in self.rows if m.user_id in r.voted_ids), n)
                for m in self.board.members]

    @property
    def everyone_voted(self) -> bool:
        return all(self.board.ids <= r.voted_ids for r in self.rows)

    @property
    def totals_hidden(self) -> bool:
        """The running total reveals votes: hidden while any item's votes are secret."""
        return any(r.secret for r in self.rows)


def session_votes(session: BoardSession) -> list[Vote]:
    return list(Vote.objects.filter(session=session).select_related("member")
                .order_by("item_id", "member__username", "member_id"))


def session_overview(session: BoardSession, user) -> SessionOverview:
    """Tallies, decisions so far, the viewer's own votes and the budget, in a few queries."""
    board = session_board(session)
    by_item: dict[int, list[Vote]] = {}
    for vote in session_votes(session):
        by_item.setdefault(vote.item_id, []).append(vote)
    rows = []
    kept_secret = votes_kept_secret(session, user, board)
    for item in session.items.all():
        votes = by_item.get(item.pk, [])
        recused = {v.member_id for v in votes if v.vote == VoteChoice.RECUSE}
        outcome = outcome_of(item, votes, board) if session.is_open else _frozen(item, votes,
                                                                                   board)
        mine = next((v for v in votes if v.member_id == user.pk), None)
        secret = kept_secret and mine is None
        rows.append(ItemRow(
            item=item, outcome=outcome, votes=votes, recused=user.pk in recused, my_vote=mine,
            sees_votes=sees_votes(user, item, recused, secret=secret), secret=secret,
            voted_ids=frozenset(v.member_id for v in votes if v.member_id in board.ids)))
    total = sum((r.outcome.approved_usd for r in rows
                 if r.outcome.decision == Decision.APPROVED), ZERO)
    budget = budget_position(session.call, total) if session.is_open else _closed_budget(
        session, total)
    return SessionOverview(session=session, board=board, rows=rows, budget=budget,
                           window=session.voting_window_state(), is_member=user in board,
                           is_chair=board.chair_id is not None and board.chair_id == user.pk)


def _frozen(item: AgendaItem, votes: list[Vote], board: SessionBoard) -> Outcome:
    """A closed session shows the decisions recorded at closing, with the tally of the votes."""
    tally = outcome_of(item, votes, board)
    return Outcome(decision=item.decision, approved_usd=item.approved_usd, quorum=tally.quorum,
                   approve=tally.approve, decline=tally.decline, abstain=tally.abstain,
                   recuse=tally.recuse, eligible=tally.eligible,
                   casting_vote=tally.casting_vote)


def _closed_budget(session: BoardSession, total: Decimal) -> BudgetPosition:
    """After closing: this session's frozen total, and what is committed now (its grants
    included)."""
    position = budget_position(session.call, ZERO)
    return replace(position, total_usd=session.approved_total_usd or total, problems=())


# --- the signature -----------------------------------------------------------------------


def canonical_votes(session: BoardSession) -> bytes:
    """The votes (and any amount set by the Chair), as canonical JSON bytes.

    Sorted keys, no spaces, UTF-8; items by position, votes by member id; amounts as strings
    with two places. Its SHA-256 is the session's ``votes_hash``.
    """
    votes = Vote.objects.filter(session=session).order_by("item__position", "member_id")
    by_item: dict[int, list[dict]] = {}
    for v in votes.values("item_id", "member_id", "vote", "amount_usd", "conditions",
                          "feedback"):
        by_item.setdefault(v["item_id"], []).append({
            "member": v["member_id"], "vote": v["vote"],
            "amount_usd": None if v["amount_usd"] is None else f"{v['amount_usd']:.2f}",
            "conditions": v["conditions"], "feedback": v["feedback"]})
    items = AgendaItem.objects.filter(session=session).order_by("position").values(
        "pk", "position", "application_id", "chair_amount_usd", "chair_amount_reason")
    document = {"session": session.pk, "call": session.call_id, "items": [{
        "position": i["position"], "application": i["application_id"],
        "chair_amount_usd": None if i["chair_amount_usd"] is None
        else f"{i['chair_amount_usd']:.2f}",
        "chair_amount_reason": i["chair_amount_reason"],
        "votes": by_item.get(i["pk"], [])} for i in items]}
    return json.dumps(document, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def votes_hash(session: BoardSession) -> str:
    return hashlib.sha256(canonical_votes(session)).hexdigest()


def votes_intact(session: BoardSession) -> bool | None:
    """Whether a closed session's votes still match its signature (None while open)."""
    if session.is_open:
        return None
    return votes_hash(session) == session.votes_hash


# --- what members study ------------------------------------------------------------------


def current_recommendation(call: Call) -> PortfolioRecommendation | None:
    return PortfolioRecommendation.objects.filter(call=call, is_current=True).first()


@dataclass
class ReviewSummary:
    count: int
    scores: list[Decimal]

    @property
    def mean(self) -> Decimal | None:
        if not self.scores:
            return None
        return (sum(self.scores, ZERO) / len(self.scores)).quantize(Decimal("0.01"))


def review_summary(application: Application) -> tuple[ReviewSummary, list[Review]]:
    """Submitted reviews (without reviewers' names) and their weighted scores."""
    from grants.selectors.reviews import weighted_score

    criteria = list(application.call.review_criteria.order_by("position", "id"))
    reviews = list(Review.objects.filter(application=application, status=ReviewStatus.SUBMITTED)
                   .order_by("submitted_at", "id")
                   .prefetch_related(Prefetch("scores", queryset=ReviewScore.objects
                                              .select_related("criterion"))))
    scores = []
    for review in reviews:
        review.weighted = weighted_score(review, criteria)
        if review.weighted is not None:
            scores.append(review.weighted)
    return ReviewSummary(count=len(reviews), scores=scores), reviews


def portfolio_item_of(item: AgendaItem) -> PortfolioItem | None:
    if item.portfolio_item_id is None:
        return None
    return PortfolioItem.objects.filter(pk=item.portfolio_item_id).first()


# --- decisions for the applicant ---------------------------------------------------------


def decided_item_for(user, application_pk) -> AgendaItem:
    """The closed-session decision on an application the user may see (404 otherwise).

    NGO users: their organisation's; the secretariat and the board: any.
    """
    qs = (AgendaItem.objects.filter(application_id=application_pk, decision__in=DECIDED,
                                    session__status=SessionStatus.CLOSED)
          .select_related("session__call", "session__closed_by", "application__organisation",
                          "application__call"))
    roles = roles_of(user)
    if not (Role.SECRETARIAT in roles or Role.BOARD in roles):
        if Role.NGO not in roles:
            raise Http404
        qs = qs.filter(application__organisation__memberships__user=user)
    item = qs.order_by("-session__closed_at").first()
    if item is None:
        raise Http404
    return item


def decision_of(user, application: Application) -> AgendaItem | None:
    """The closed-session decision on ``application`` if ``user`` may read it, else None."""
    try:
        return decided_item_for(user, application.pk)
    except Http404:
        return None


def organisation_users(application: Application):
    from fundapp.accounts.models import User

    return User.objects.filter(
        pk__in=Membership.objects.filter(organisation_id=application.organisation_id)
        .values("user_id"), is_active=True)


# --- the ballot sheet --------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionPart:
    """One review criterion of an item's score: the reviewers' mean on the 1–5 scale and
    its share of the review score (percentage points)."""

    name: str
    mean: Decimal | None
    share: Decimal


@dataclass(frozen=True)
class ScoreParts:
    """An item's combined score and what it is made of, as the ranking froze it."""

    total: Decimal | None
    review: Decimal | None
    review_share: Decimal | None
    priority: Decimal | None
    priority_share: Decimal | None
    criteria: tuple[CriterionPart, ...] = ()


@dataclass
class AgendaDetails:
    """What a trustee studies on one agenda item, without leaving the ballot sheet."""

    portfolio: PortfolioItem | None
    score: ScoreParts | None
    reason: str
    countries: list[str]
    recommended_usd: Decimal | None
    summary: ReviewSummary | None = None
    reviews: list[Review] = field(default_factory=list)
    attachments: list = field(default_factory=list)


def _decimal(value) -> Decimal | None:
    try:
        return None if value in (None, "") else Decimal(str(value))
    except ArithmeticError:
        return None


def _share(weight, total) -> Decimal | None:
    weight, total = _decimal(weight), _decimal(total)
    if weight is None or not total:
        return None
    return (weight * 100 / total).quantize(Decimal("0.1"))


def score_parts(stored: PortfolioItem | None, names: dict[str, str]) -> ScoreParts | None:
    """The frozen ranking breakdown of ``stored`` in plain figures (None without one);
    ``names``: the call's criterion names by code, in the reader's language."""
    if stored is None:
        return None
    row = (stored.breakdown or {}).get("row") or {}
    b = row.get("breakdown") or {}
    criteria = [c for c in b.get("criteria") or [] if isinstance(c, dict)]
    weights = sum((_decimal(c.get("weight")) or ZERO for c in criteria), ZERO)
    review_weight = _decimal(b.get("review_weight"))
    return ScoreParts(
        total=stored.total_score if stored.total_score is not None
        else _decimal(row.get("total_score")),
        review=_decimal(b.get("review_component")),
        review_share=None if review_weight is None else review_weight * 100,
        priority=_decimal(b.get("priority_score") or row.get("priority_score")),
        priority_share=None if review_weight is None else (1 - review_weight) * 100,
        criteria=tuple(CriterionPart(name=names.get(c.get("code"), c.get("name") or ""),
                                     mean=_decimal(c.get("mean")),
                                     share=_share(c.get("weight"), weights) or ZERO)
                       for c in criteria))


def _reason(stored: PortfolioItem | None) -> str:
    """The portfolio's reason, rebuilt in the reader's language from its stored codes."""
    if stored is None:
        return ""
    from grants.selectors.ranking import reason_text

    reason = (stored.breakdown or {}).get("reason") or {}
    if not reason:
        return stored.reason_text
    try:
        return reason_text(stored.reason_code, reason.get("codes") or [stored.reason_code],
                           reason.get("params") or {},
                           in_rank_cut=reason.get("in_rank_cut", False),
                           counts_for_women=reason.get("counts_for_women", False))
    except (KeyError, TypeError, ValueError):
        return stored.reason_text


@dataclass(frozen=True)
class ItemExplanation:
    """An agenda item's score parts and portfolio reason, for its own page (one query)."""

    score: ScoreParts | None
    reason: str


def item_explanation(session: BoardSession, portfolio: PortfolioItem | None) -> ItemExplanation:
    names = {c.code: c.name for c in ReviewCriterion.objects.filter(call_id=session.call_id)}
    return ItemExplanation(score=score_parts(portfolio, names), reason=_reason(portfolio))


def agenda_details(session: BoardSession, overview: SessionOverview) -> dict[int, AgendaDetails]:
    """Per agenda item id: score parts, reason, reviews' summary (not for an item the viewer
    recused from, as on the item page) and documents, in a fixed number of queries."""
    from grants.selectors.reviews import weighted_score

    items = [r.item for r in overview.rows]
    stored = {p.pk: p for p in PortfolioItem.objects.filter(
        pk__in=[i.portfolio_item_id for i in items if i.portfolio_item_id])}
    criteria = list(ReviewCriterion.objects.filter(call_id=session.call_id)
                    .order_by("position", "id"))
    names = {c.code: c.name for c in criteria}
    app_ids = [i.application_id for i in items]
    reviews: dict[int, list[Review]] = {}
    for review in (Review.objects.filter(application_id__in=app_ids,
                                         status=ReviewStatus.SUBMITTED)
                   .order_by("submitted_at", "id")
                   .prefetch_related(Prefetch("scores", queryset=ReviewScore.objects
                                              .select_related("criterion")))):
        review.weighted = weighted_score(review, criteria)
        reviews.setdefault(review.application_id, []).append(review)
    documents: dict[int, list] = {}
    for attachment in Attachment.objects.filter(application_id__in=app_ids).order_by(
            "uploaded_at", "id"):
        documents.setdefault(attachment.application_id, []).append(attachment)
    details = {}
    for row in overview.rows:
        item = row.item
        portfolio = stored.get(item.portfolio_item_id)
        app = item.application
        mine = [] if row.recused else reviews.get(app.pk, [])
        details[item.pk] = AgendaDetails(
            portfolio=portfolio, score=score_parts(portfolio, names), reason=_reason(portfolio),
            countries=[str(getattr(c, "code", c)) for c in app.countries or []],
            recommended_usd=None if item.on_reserve else item.requested_usd,
            summary=None if row.recused else ReviewSummary(
                count=len(mine), scores=[r.weighted for r in mine if r.weighted is not None]),
            reviews=mine, attachments=documents.get(app.pk, []))
    return details


def ballot_draft_for(session: BoardSession, user):
    """The member's saved ballot sheet for ``session`` (None if none)."""
    return BallotDraft.objects.filter(session=session, member_id=user.pk).first()


def ballot_draft_members(session: BoardSession) -> frozenset[int]:
    """Who has a ballot draft saved in ``session`` (for the Chair and the secretariat)."""
    return frozenset(BallotDraft.objects.filter(session=session)
                     .values_list("member_id", flat=True))
