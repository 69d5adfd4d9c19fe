"""The Board of Trustees: members with terms, sessions, their agenda and the votes.

A session's decisions are computed and frozen when the Chair closes it (``closed_by``,
``closed_at`` and ``votes_hash``, the SHA-256 of the canonical votes); nothing changes after.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from .applications import Application
from .calls import Call
from .portfolio import PortfolioItem, PortfolioRecommendation

MONEY = {"max_digits": 14, "decimal_places": 2}


class BoardRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    MEMBER = "member", _("Member")


class BoardMembership(models.Model):
    """A seat on the board for a term; one Chair at a time (checked by the service)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="board_memberships", verbose_name=_("member"))
    role = models.CharField(_("role"), max_length=16, choices=BoardRole.choices,
                            default=BoardRole.MEMBER)
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"), null=True, blank=True,
                                help_text=_("Leave empty while the end is not set."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role", "term_start", "id"]
        verbose_name = _("board membership")
        verbose_name_plural = _("board memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=F("term_start")),
                name="board_term_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    def sits_on(self, day: date) -> bool:
        return self.term_start <= day and (self.term_end is None or day <= self.term_end)


class SessionKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    WRITTEN = "written", _("Written procedure")


class SessionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class BoardSession(models.Model):
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="board_sessions")
    kind = models.CharField(_("kind"), max_length=16, choices=SessionKind.choices)
    status = FSMField(_("status"), max_length=16, choices=SessionStatus.choices,
                      default=SessionStatus.OPEN, db_index=True)
    meeting_date = models.DateField(_("meeting date"), null=True, blank=True)
    opens_at = models.DateTimeField(_("voting opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("voting closes"), null=True, blank=True)
    recommendation = models.ForeignKey(PortfolioRecommendation, on_delete=models.PROTECT,
                                       null=True, blank=True, related_name="board_sessions")
    is_reserve_offer = models.BooleanField(_("reserve-list offer"), default=False)
    offered_usd = models.DecimalField(_("amount freed (USD)"), null=True, blank=True, **MONEY)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    votes_hash = models.CharField(_("SHA-256 of the votes"), max_length=64, blank=True)
    approved_total_usd = models.DecimalField(_("approved total (USD)"), null=True, blank=True,
                                             **MONEY)
    override_reason = models.TextField(_("reason for the budget override"), blank=True,
                                       max_length=4000)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("board session")
        verbose_name_plural = _("board sessions")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="meeting") | Q(meeting_date__isnull=False),
                name="board_meeting_has_a_date"),
            models.CheckConstraint(
                condition=~Q(kind="written") | (Q(opens_at__isnull=False)
                                                & Q(closes_at__gt=F("opens_at"))),
                name="board_written_window"),
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | (Q(status="closed", closed_at__isnull=False) & ~Q(votes_hash="")),
                name="board_closed_is_signed"),
            models.CheckConstraint(condition=Q(offered_usd__isnull=True) | Q(offered_usd__gt=0),
                                   name="board_offer_positive"),
            models.UniqueConstraint(fields=["call"], condition=Q(status="open"),
                                    name="one_open_board_session_per_call"),
        ]

    def __str__(self) -> str:
        return str(_("Board session on call %(n)s (%(date)s)")
                   % {"n": self.call.number, "date": self.sitting_date.isoformat()})

    @property
    def sitting_date(self) -> date:
        """The day whose sitting members form this session's board (and its quorum)."""
        if self.kind == SessionKind.MEETING and self.meeting_date:
            return self.meeting_date
        return timezone.localdate(self.opens_at or self.created_at or timezone.now(),
                                  timezone.get_default_timezone())

    @property
    def is_open(self) -> bool:
        return self.status == SessionStatus.OPEN

    @transition(field=status, source=SessionStatus.OPEN, target=SessionStatus.CLOSED)
    def close(self, *, by) -> None:
        """The Chair closes the session (grants/services/board.py freezes and signs it)."""
        self.closed_by, self.closed_at = by, timezone.now()

    def voting_window_state(self, now=None) -> str:
        """"open", "not_yet" or "ended" (written procedures only have a window)."""
        now = now or timezone.now()
        if self.kind != SessionKind.WRITTEN:
            return "open"
        if now < self.opens_at:
            return "not_yet"
        return "open" if now < self.closes_at else "ended"


class Decision(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
    DEFERRED = "deferred", _("Deferred")
    WITHDRAWN = "withdrawn", _("Withdrawn by the applicant")


class AgendaItem(models.Model):
    session = models.ForeignKey(BoardSession, on_delete=models.CASCADE, related_name="items")
    application = models.ForeignKey(Application, on_delete=models.PROTECT,
                                    related_name="board_items")
    portfolio_item = models.ForeignKey(PortfolioItem, on_delete=models.SET_NULL, null=True,
                                       blank=True, related_name="+")
    position = models.PositiveSmallIntegerField()
    on_reserve = models.BooleanField(_("on the reserve list"), default=False)
    reserve_position = models.PositiveIntegerField(null=True, blank=True)
    requested_usd = models.DecimalField(_("requested (USD)"), **MONEY)
    chair_amount_usd = models.DecimalField(_("amount set by the Chair (USD)"), null=True,
                                           blank=True, **MONEY)
    chair_amount_reason = models.TextField(_("Chair's reason"), blank=True, max_length=4000)
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices,
                                default=Decision.PENDING)
    approved_usd = models.DecimalField(_("approved (USD)"), null=True, blank=True, **MONEY)
    conditions = models.TextField(_("conditions"), blank=True)
    feedback = models.TextField(_("feedback to the applicant"), blank=True)

    class Meta:
        ordering = ["session", "position", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(fields=["session", "application"],
                                    name="one_agenda_item_per_application"),
            models.UniqueConstraint(fields=["session", "position"],
                                    name="one_agenda_item_per_position"),
            models.CheckConstraint(condition=Q(requested_usd__gt=0),
                                   name="agenda_requested_positive"),
            models.CheckConstraint(
                condition=Q(chair_amount_usd__isnull=True) | Q(chair_amount_usd__gt=0),
                name="agenda_chair_amount_positive"),
            models.CheckConstraint(
                condition=(Q(decision="approved") & Q(approved_usd__gt=0))
                | (~Q(decision="approved") & Q(approved_usd__isnull=True)),
                name="agenda_approved_has_amount"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}#{self.position} {self.application}"


class VoteChoice(models.TextChoices):
    APPROVE = "approve", _("Approve")
    DECLINE = "decline", _("Decline")
    ABSTAIN = "abstain", _("Abstain")
    RECUSE = "recuse", _("Recuse (conflict of interest)")


class Vote(models.Model):
    session = models.ForeignKey(BoardSession, on_delete=models.CASCADE, related_name="votes")
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="board_votes")
    vote = models.CharField(_("vote"), max_length=16, choices=VoteChoice.choices)
    amount_usd = models.DecimalField(_("amount (USD)"), null=True, blank=True, **MONEY)
    conditions = models.TextField(_("conditions"), blank=True, max_length=4000)
    feedback = models.TextField(_("feedback to the applicant"), blank=True, max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["item", "member_id"]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["item", "member"],
                                    name="one_vote_per_member_per_item"),
            models.CheckConstraint(condition=Q(amount_usd__isnull=True) | Q(amount_usd__gt=0),
                                   name="vote_amount_positive"),
            models.CheckConstraint(condition=Q(amount_usd__isnull=True) | Q(vote="approve"),
                                   name="vote_amount_only_when_approving"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.vote}"


class BallotDraft(models.Model):
    """A Board member's ballot sheet saved before submitting: one per member and session.

    ``votes`` holds, per agenda item id (as text), ``{"vote", "amount_usd", "conditions",
    "feedback"}`` exactly as the member left them (amounts as decimal strings); nothing
    in it counts until the ballot is submitted, which records real ``Vote`` rows and
    deletes the draft.
    """

    session = models.ForeignKey(BoardSession, on_delete=models.CASCADE,
                                related_name="ballot_drafts")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="ballot_drafts")
    votes = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ballot draft")
        verbose_name_plural = _("ballot drafts")
        constraints = [
            models.UniqueConstraint(fields=["session", "member"],
                                    name="one_ballot_draft_per_member_per_session"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}/{self.member_id}"
