"""Board API: sessions with their agenda, votes, the Chair's amount and closing, reserve
offers, and the board's membership.

The secretariat creates sessions and manages membership; board members read and vote; the
Chair (a membership, not a role) closes. Everyone else gets 403. While a session is open
its agenda shows no decision; a member recused on an item sees neither its votes nor tally,
and in a written procedure a trustee sees them only once they have voted on the item.
"""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from fundapp.accounts.models import User
from fundapp.core.api import capability
from grants.models import BoardRole, Decision, SessionKind, SessionStatus, VoteChoice
from grants.selectors.board import (
    get_session_for,
    membership_list,
    session_list,
    session_overview,
)
from grants.selectors.calls import get_call_for
from grants.services.board import (
    board_ballot_submit,
    board_item_set_amount,
    board_membership_add,
    board_membership_end,
    board_reserve_offer,
    board_session_close,
    board_session_create,
    board_vote_cast,
)

from .common import CONFLICT, NOT_FOUND, PermissionsByAction, MoneyField, id_field

VIEW = capability("board.view")
MANAGE = capability("board.manage")
VOTE = capability("board.vote")
FORBIDDEN = OpenApiResponse(description=_("Not allowed (e.g. not the Chair)."))


# --- serializers -------------------------------------------------------------------------


class BoardAgendaItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    application = serializers.IntegerField(source="application_id")
    reference = serializers.CharField(source="application.reference", allow_null=True)
    title = serializers.CharField(source="application.title")
    organisation = serializers.CharField(source="application.organisation.name")
    position = serializers.IntegerField()
    on_reserve = serializers.BooleanField()
    reserve_position = serializers.IntegerField(allow_null=True)
    requested_usd = MoneyField()
    decision = serializers.SerializerMethodField(help_text=_("Null until the session closes."))
    approved_usd = serializers.SerializerMethodField(
        help_text=_("Null until the session closes, and for items not approved."))
    conditions = serializers.SerializerMethodField()
    feedback = serializers.SerializerMethodField()

    def _closed(self, item) -> bool:
        return self.context["closed"]

    @extend_schema_field(serializers.ChoiceField(choices=Decision.choices, allow_null=True))
    def get_decision(self, item) -> str | None:
        return item.decision if self._closed(item) else None

    @extend_schema_field(MoneyField(allow_null=True))
    def get_approved_usd(self, item) -> str | None:
        if not self._closed(item) or item.approved_usd is None:
            return None
        return f"{item.approved_usd:.2f}"

    def get_conditions(self, item) -> str:
        return item.conditions if self._closed(item) else ""

    def get_feedback(self, item) -> str:
        return item.feedback if self._closed(item) else ""


class BoardSessionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    call = serializers.IntegerField(source="call_id")
    call_number = serializers.IntegerField(source="call.number")
    kind = serializers.ChoiceField(choices=SessionKind.choices)
    status = serializers.ChoiceField(choices=SessionStatus.choices)
    meeting_date = serializers.DateField(allow_null=True)
    opens_at = serializers.DateTimeField(allow_null=True)
    closes_at = serializers.DateTimeField(allow_null=True)
    recommendation = serializers.IntegerField(source="recommendation_id", allow_null=True)
    is_reserve_offer = serializers.BooleanField()
    offered_usd = MoneyField(allow_null=True)
    created_at = serializers.DateTimeField()
    closed_by = serializers.IntegerField(source="closed_by_id", allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    votes_hash = serializers.CharField(help_text=_("SHA-256 of the canonical votes, once "
                                                   "closed."))
    approved_total_usd = MoneyField(allow_null=True)
    override_reason = serializers.CharField()
    agenda = serializers.SerializerMethodField()

    @extend_schema_field(BoardAgendaItemSerializer(many=True))
    def get_agenda(self, session) -> list[dict]:
        context = self.context | {"closed": not session.is_open}
        return BoardAgendaItemSerializer(session.items.all(), many=True, context=context).data


class BoardVoteSerializer(serializers.Serializer):
    member = serializers.IntegerField(source="member_id", read_only=True)
    member_name = serializers.CharField(source="member.display_name", read_only=True)
    application = id_field(write_only=True)
    vote = serializers.ChoiceField(choices=VoteChoice.choices)
    amount_usd = MoneyField(required=False, allow_null=True,
                            help_text=_("With an approval only: a lower amount than requested."))
    conditions = serializers.CharField(max_length=4000, required=False, allow_blank=True,
                                       default="")
    feedback = serializers.CharField(max_length=4000, required=False, allow_blank=True,
                                     default="", help_text=_("Required with a decline."))
    updated_at = serializers.DateTimeField(read_only=True)


class BallotVoteSerializer(serializers.Serializer):
    application = id_field(help_text=_("The application's id (an agenda item of the session)."))
    vote = serializers.ChoiceField(choices=VoteChoice.choices)
    amount_usd = MoneyField(required=False, allow_null=True,
                            help_text=_("With an approval only: a lower amount than requested."))
    conditions = serializers.CharField(max_length=4000, required=False, allow_blank=True,
                                       default="", help_text=_("With an approval only."))
    feedback = serializers.CharField(max_length=4000, required=False, allow_blank=True,
                                     default="", help_text=_("Required with a decline."))


class BallotSerializer(serializers.Serializer):
    votes = BallotVoteSerializer(many=True, help_text=_(
        "One vote per application of the agenda; applications left out keep the vote "
        "already recorded, if any."))


class BallotErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(required=False, help_text=_(
        "What is wrong, in words (also alone, for a body that cannot be read at all)."))
    votes = serializers.JSONField(required=False, help_text=_(
        "Per refused row, keyed by its application id (or #n, its position in the list, "
        "when the id itself is missing or not a number): the field errors, e.g. "
        "{\"42\": {\"feedback\": [\"…\"]}}; or a list of messages when \"votes\" "
        "itself is missing, empty or too long."))


class BallotVoteResultSerializer(BoardVoteSerializer):
    application = serializers.SerializerMethodField()

    def get_application(self, vote) -> int:
        return self.context["applications"][vote.item_id]


class BallotResultSerializer(serializers.Serializer):
    session = serializers.IntegerField()
    changed = serializers.IntegerField(help_text=_("Votes recorded or changed by this ballot "
                                                   "(a row equal to the recorded vote is "
                                                   "left as it was)."))
    votes = serializers.SerializerMethodField(help_text=_("Your vote on each row of the "
                                                          "ballot."))

    @extend_schema_field(BallotVoteResultSerializer(many=True))
    def get_votes(self, result) -> list[dict]:
        return BallotVoteResultSerializer(result["votes"], many=True,
                                          context=self.context).data


MAX_BALLOT_ROWS = 1000


def ballot_entries(data) -> list[dict]:
    """The posted rows, each checked as a single vote's body; every bad row named at once
    (400 ``{"votes": {"<application id>": {...}}}``)."""
    votes = data.get("votes") if isinstance(data, dict) else None
    if not isinstance(votes, list) or not votes:
        raise serializers.ValidationError({"votes": [_("A list of votes, one per "
                                                       "application.")]})
    if len(votes) > MAX_BALLOT_ROWS:
        raise serializers.ValidationError({"votes": [_("At most 1,000 votes in a ballot.")]})
    entries, errors = [], {}
    for n, entry in enumerate(votes, start=1):
        row = BallotVoteSerializer(data=entry if isinstance(entry, dict) else {})
        if row.is_valid():
            entries.append(dict(row.validated_data))
            continue
        app = entry.get("application") if isinstance(entry, dict) else None
        key = str(app) if isinstance(app, int) and not isinstance(app, bool) else f"#{n}"
        if isinstance(app, str) and app.isdigit() and len(app) < 12:
            key = app
        errors[key] = row.errors
    if errors:
        raise serializers.ValidationError({"detail": _("Some rows of the ballot need "
                                                       "correcting: none of its votes is "
                                                       "recorded yet."), "votes": errors})
    return entries


class BoardTallySerializer(serializers.Serializer):
    approve = serializers.IntegerField()
    decline = serializers.IntegerField()
    abstain = serializers.IntegerField()
    recuse = serializers.IntegerField()
    eligible = serializers.IntegerField(help_text=_("Sitting members not recused."))
    voted = serializers.IntegerField()
    needed = serializers.IntegerField(help_text=_("Votes needed for the quorum."))
    quorum = serializers.BooleanField()
    decision = serializers.ChoiceField(choices=Decision.choices,
                                       help_text=_("What closing now would decide."))
    approved_usd = MoneyField(allow_null=True)
    casting_vote = serializers.BooleanField(help_text=_("Decided by the Chair's vote."))


class BoardItemDetailSerializer(BoardAgendaItemSerializer):
    chair_amount_usd = MoneyField(allow_null=True)
    chair_amount_reason = serializers.CharField()
    recused = serializers.SerializerMethodField()
    my_vote = serializers.SerializerMethodField()
    tally = serializers.SerializerMethodField(help_text=_(
        "Null for a member recused on it, and in an open written procedure for a trustee "
        "who has not voted on it yet."))
    votes = serializers.SerializerMethodField(help_text=_(
        "Null for a member recused on it, and in an open written procedure for a trustee "
        "who has not voted on it yet."))
    votes_hidden_until_you_vote = serializers.SerializerMethodField(help_text=_(
        "Written procedure: the others' votes are shown once you have voted on this item."))

    def _row(self, item):
        return self.context["rows"][item.pk]

    def get_recused(self, item) -> bool:
        return self._row(item).recused

    def get_votes_hidden_until_you_vote(self, item) -> bool:
        return self._row(item).secret

    @extend_schema_field(BoardVoteSerializer(allow_null=True))
    def get_my_vote(self, item) -> dict | None:
        vote = self._row(item).my_vote
        return BoardVoteSerializer(vote).data if vote else None

    @extend_schema_field(BoardTallySerializer(allow_null=True))
    def get_tally(self, item) -> dict | None:
        row = self._row(item)
        return BoardTallySerializer(row.outcome).data if row.sees_votes else None

    @extend_schema_field(BoardVoteSerializer(many=True, allow_null=True))
    def get_votes(self, item) -> list[dict] | None:
        row = self._row(item)
        return BoardVoteSerializer(row.votes, many=True).data if row.sees_votes else None


class BoardMemberStatusSerializer(serializers.Serializer):
    user = serializers.IntegerField()
    name = serializers.CharField()
    role = serializers.ChoiceField(choices=BoardRole.choices)
    items_voted = serializers.IntegerField()
    items = serializers.IntegerField()


class BoardBudgetSerializer(serializers.Serializer):
    envelope_usd = MoneyField()
    committed_call_usd = MoneyField(help_text=_("Grants already awarded on the call."))
    call_remaining_usd = MoneyField()
    fund_balance_usd = MoneyField(allow_null=True, help_text=_(
        "Contributions received minus grants committed; null when not known."))
    total_usd = MoneyField(allow_null=True, help_text=_(
        "Approved in this session (so far, while open). Null in an open written procedure "
        "until you have voted on every item: the running total would reveal the votes."))
    overdraws = serializers.BooleanField(allow_null=True, help_text=_(
        "Null when total_usd is."))
    problems = serializers.ListField(child=serializers.CharField())


class BoardSessionDetailSerializer(BoardSessionSerializer):
    agenda = serializers.SerializerMethodField()
    budget = serializers.SerializerMethodField()
    members = serializers.SerializerMethodField()
    is_chair = serializers.SerializerMethodField()
    votes_intact = serializers.SerializerMethodField()

    def _overview(self, session):
        cache = self.context.setdefault("_overviews", {})
        if session.pk not in cache:
            cache[session.pk] = session_overview(session, self.context["request"].user)
        return cache[session.pk]

    @extend_schema_field(BoardItemDetailSerializer(many=True))
    def get_agenda(self, session) -> list[dict]:
        overview = self._overview(session)
        context = self.context | {"closed": not session.is_open,
                                  "rows": {r.item.pk: r for r in overview.rows}}
        return BoardItemDetailSerializer(session.items.all(), many=True, context=context).data

    @extend_schema_field(BoardBudgetSerializer)
    def get_budget(self, session) -> dict:
        overview = self._overview(session)
        budget, hidden = overview.budget, overview.totals_hidden
        return BoardBudgetSerializer({
            "envelope_usd": budget.envelope_usd, "committed_call_usd": budget.committed_call_usd,
            "call_remaining_usd": budget.call_remaining_usd,
            "fund_balance_usd": budget.fund_balance_usd,
            "total_usd": None if hidden else budget.total_usd,
            "overdraws": None if hidden else (budget.overdraws if session.is_open else False),
            "problems": list(budget.problems) if session.is_open and not hidden else []}).data

    @extend_schema_field(BoardMemberStatusSerializer(many=True))
    def get_members(self, session) -> list[dict]:
        return [{"user": m.user_id, "name": m.user.display_name, "role": m.role,
                 "items_voted": voted, "items": n}
                for m, voted, n in self._overview(session).members_status()]

    def get_is_chair(self, session) -> bool:
        return self._overview(session).is_chair

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_votes_intact(self, session) -> bool | None:
        from grants.selectors.board import votes_intact

        return votes_intact(session)


class BoardSessionCreateSerializer(serializers.Serializer):
    call = serializers.IntegerField(min_value=1)
    kind = serializers.ChoiceField(choices=SessionKind.choices)
    meeting_date = serializers.DateField(required=False, allow_null=True)
    opens_at = serializers.DateTimeField(required=False, allow_null=True)
    closes_at = serializers.DateTimeField(required=False, allow_null=True)


class BoardReserveOfferSerializer(serializers.Serializer):
    call = serializers.IntegerField(min_value=1)
    opens_at = serializers.DateTimeField(required=False, allow_null=True)
    closes_at = serializers.DateTimeField()


class BoardCloseSerializer(serializers.Serializer):
    override_reason = serializers.CharField(
        max_length=4000, required=False, allow_blank=True, default="",
        help_text=_("Required to close when the approvals would overdraw the call's envelope "
                    "or the fund's balance."))


class BoardChairAmountSerializer(serializers.Serializer):
    application = id_field()
    amount_usd = MoneyField(allow_null=True, help_text=_("Null: back to the rule."))
    reason = serializers.CharField(max_length=4000, required=False, allow_blank=True,
                                   default="")


class BoardMembershipSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    user = serializers.IntegerField(source="user_id", min_value=1)
    name = serializers.CharField(source="user.display_name", read_only=True)
    role = serializers.ChoiceField(choices=BoardRole.choices)
    term_start = serializers.DateField()
    term_end = serializers.DateField(required=False, allow_null=True)


class BoardTermEndSerializer(serializers.Serializer):
    term_end = serializers.DateField()


class BoardSessionFilterSerializer(serializers.Serializer):
    call = id_field(required=False)
    status = serializers.ChoiceField(choices=SessionStatus.choices, required=False)
    kind = serializers.ChoiceField(choices=SessionKind.choices, required=False)


# --- views -------------------------------------------------------------------------------


def _call(user, pk):
    try:
        return get_call_for(user, pk)
    except Http404:
        raise serializers.ValidationError({"call": [_("There is no such call.")]}) from None


class BoardSessionViewSet(PermissionsByAction, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                          viewsets.GenericViewSet):
    """Board sessions: the secretariat creates them; board members read, vote and close."""

    filter_backends = [OrderingFilter]
    ordering_fields = ["created_at", "closed_at", "meeting_date", "closes_at"]
    lookup_value_regex = r"\d+"
    permissions = {"*": (VIEW,), "create": (MANAGE,), "offer_reserve": (MANAGE,),
                   "votes": (VOTE,), "ballot": (VOTE,), "close": (VOTE,),
                   "chair_amount": (VOTE,)}

    def get_serializer_class(self):
        return BoardSessionSerializer if self.action == "list" else BoardSessionDetailSerializer

    def get_queryset(self):
        params = BoardSessionFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return session_list(self.request.user, **params.validated_data)

    def get_object(self):
        return get_session_for(self.request.user, self.kwargs["pk"])

    def _render(self, session, code=status.HTTP_200_OK) -> Response:
        fresh = get_session_for(self.request.user, session.pk)
        return Response(BoardSessionDetailSerializer(fresh, context=self.get_serializer_context())
                        .data, status=code)

    @extend_schema(summary=_("Board sessions (secretariat, board)"),
                   parameters=[BoardSessionFilterSerializer])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary=_("A board session: agenda, tallies, budget, who has voted"),
                   responses={200: BoardSessionDetailSerializer, 404: NOT_FOUND})
    def retrieve(self, request, *args, **kwargs):
        return Response(BoardSessionDetailSerializer(self.get_object(),
                                                     context=self.get_serializer_context()).data)

    @extend_schema(summary=_("Open a session on a call's finalised recommendation "
                             "(secretariat)"),
                   request=BoardSessionCreateSerializer,
                   description=_("The agenda is the recommendation's included applications "
                                 "by rank, then its reserve list in order. A meeting needs "
                                 "`meeting_date`; a written procedure `opens_at` and "
                                 "`closes_at`."),
                   responses={201: BoardSessionDetailSerializer, 409: CONFLICT})
    def create(self, request):
        serializer = BoardSessionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        call = _call(request.user, data.pop("call"))
        session = board_session_create(actor=request.user, call=call, **data)
        return self._render(session, status.HTTP_201_CREATED)

    @extend_schema(summary=_("Offer the amount freed on a call to the next reserve "
                             "application, by written procedure (secretariat)"),
                   request=BoardReserveOfferSerializer,
                   responses={201: BoardSessionDetailSerializer, 409: CONFLICT})
    @action(detail=False, methods=["post"], url_path="offer-reserve")
    def offer_reserve(self, request):
        serializer = BoardReserveOfferSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        call = _call(request.user, data.pop("call"))
        session = board_reserve_offer(actor=request.user, call=call, **data)
        return self._render(session, status.HTTP_201_CREATED)

    @extend_schema(summary=_("Vote on an agenda item, or change your vote (board member)"),
                   request=BoardVoteSerializer,
                   description=_("`approve` (optionally a lower `amount_usd` and "
                                 "`conditions`), `decline` (with `feedback`), `abstain` or "
                                 "`recuse` (final). 409 once the session is closed."),
                   responses={200: BoardVoteSerializer, 403: FORBIDDEN, 404: NOT_FOUND,
                              409: CONFLICT})
    @action(detail=True, methods=["post"])
    def votes(self, request, pk=None):
        session = self.get_object()
        serializer = BoardVoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        vote = board_vote_cast(actor=request.user, session=session,
                               application=data["application"], vote=data["vote"],
                               amount_usd=data.get("amount_usd"),
                               conditions=data["conditions"], feedback=data["feedback"])
        vote.member = request.user
        return Response(BoardVoteSerializer(vote).data)

    @extend_schema(summary=_("Submit a ballot: every vote of yours at once, or none (board "
                             "member)"),
                   request=BallotSerializer,
                   description=_("Each row is checked as a single vote (`POST …/votes/`). "
                                 "One refused row refuses the whole ballot: 400 with "
                                 "`{\"votes\": {\"<application id>\": {\"<field>\": [...]}}}` "
                                 "naming every refused row, and nothing is recorded. 403 "
                                 "for someone who does not sit on the session's board, 404 "
                                 "for a session you may not see, 409 once it is closed or "
                                 "outside a written procedure's voting window. Your saved "
                                 "draft of the sheet is deleted."),
                   responses={200: BallotResultSerializer,
                              400: OpenApiResponse(BallotErrorSerializer,
                                                   description=_("Rows refused, by "
                                                                 "application id.")),
                              403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def ballot(self, request, pk=None):
        session = self.get_object()
        result = board_ballot_submit(actor=request.user, session=session,
                                     votes=ballot_entries(request.data))
        for vote in result.votes:
            vote.member = request.user
        applications = {i.pk: i.application_id for i in session.items.all()}
        return Response(BallotResultSerializer(
            {"session": session.pk, "changed": result.changed, "votes": result.votes},
            context={"applications": applications}).data)

    @extend_schema(summary=_("Set an item's approved amount, with a reason (the Chair)"),
                   request=BoardChairAmountSerializer,
                   responses={200: BoardSessionDetailSerializer, 403: FORBIDDEN, 409: CONFLICT})
    @action(detail=True, methods=["post"], url_path="chair-amount")
    def chair_amount(self, request, pk=None):
        session = self.get_object()
        serializer = BoardChairAmountSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        board_item_set_amount(actor=request.user, session=session, **serializer.validated_data)
        return self._render(session)

    @extend_schema(summary=_("Close the session: decisions computed, frozen and signed "
                             "(the Chair)"),
                   request=BoardCloseSerializer,
                   description=_("409 when already closed, or when the approvals would "
                                 "overdraw the call's envelope or the fund's balance and no "
                                 "`override_reason` is given."),
                   responses={200: BoardSessionDetailSerializer, 403: FORBIDDEN, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        session = self.get_object()
        serializer = BoardCloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        board_session_close(actor=request.user, session=session,
                            override_reason=serializer.validated_data["override_reason"])
        return self._render(session)


class BoardMembershipViewSet(PermissionsByAction, mixins.ListModelMixin,
                             viewsets.GenericViewSet):
    """The board's seats and terms; the secretariat manages them."""

    serializer_class = BoardMembershipSerializer
    filter_backends: list = []
    lookup_value_regex = r"\d+"
    permissions = {"*": (VIEW,), "create": (MANAGE,), "partial_update": (MANAGE,)}

    def get_queryset(self):
        return membership_list()

    @extend_schema(summary=_("Board memberships (secretariat, board)"))
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary=_("Give a board member a seat for a term (secretariat)"),
                   responses={201: BoardMembershipSerializer})
    def create(self, request):
        serializer = BoardMembershipSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        user = User.objects.filter(pk=data.pop("user_id")).first()
        if user is None:
            raise serializers.ValidationError({"user": [_("Unknown user id.")]})
        membership = board_membership_add(actor=request.user, user=user, **data)
        return Response(BoardMembershipSerializer(membership).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary=_("Set the end of a term (secretariat)"), request=BoardTermEndSerializer,
                   responses={200: BoardMembershipSerializer, 404: NOT_FOUND})
    def partial_update(self, request, pk=None):
        membership = membership_list().filter(pk=pk).first()
        if membership is None:
            raise Http404
        serializer = BoardTermEndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = board_membership_end(actor=request.user, membership=membership,
                                          **serializer.validated_data)
        return Response(BoardMembershipSerializer(membership).data)
