"""Review API: reviews and their actions, assignment, each call's rubric, the reviewer pool.

Reviewers see and change only their own reviews (another's is 404); the secretariat sees all
and assigns; nobody else sees any. A reviewer sees other reviewers' scores of the same
application only once their own review is submitted (``peer_reviews`` on the detail).
"""

from decimal import Decimal

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from fundapp.accounts.models import User
from fundapp.accounts.roles import user_can
from fundapp.core.api import capability
from fundapp.core.renderers import is_export
from grants.exports import review_criteria
from grants.models import Application, Call, Organisation, ReviewStatus
from grants.models.reviews import SCORE_MAX, SCORE_MIN
from grants.selectors.applications import get_application_for
from grants.selectors.calls import get_call_for
from grants.selectors.reviews import (
    call_has_scores,
    get_review_for,
    hides_identity,
    peer_reviews,
    review_list,
    reviewer_loads,
    reviewer_pool_with_profiles,
    weighted_score,
)
from grants.services.reviews import (
    call_rubric_ensure_defaults,
    call_rubric_update,
    review_declare,
    review_save,
    review_submit,
    review_unassign,
    reviewer_profile_update,
    reviewers_assign,
    reviewers_assign_auto,
    reviews_remind_pending,
)

from .common import (
    CONFLICT,
    NOT_FOUND,
    CountryCodeField,
    PermissionsByAction,
    country_list,
    id_field,
)

ASSIGN = capability("application.assign_reviewers")
MANAGE = capability("review.manage")
SCORE = capability("review.score")
SCORE_ERRORS = {"min_value": _("Scores run from 1 to 5."),
                "max_value": _("Scores run from 1 to 5."),
                "invalid": _("A score is a whole number from 1 to 5.")}


class ReadsReviews(permissions.BasePermission):
    """Reviewers (their own) and the secretariat (all)."""

    def has_permission(self, request, view) -> bool:
        return user_can(request.user, "review.score") or user_can(request.user,
                                                                  "review.view_all")


# --- serializers ---------------------------------------------------------------------------


class CriterionSerializer(serializers.Serializer):
    code = serializers.SlugField(max_length=40)
    name = serializers.CharField(read_only=True, help_text=_("In the reader's language."))
    name_en = serializers.CharField(max_length=200)
    name_fr = serializers.CharField(max_length=200, required=False, allow_blank=True)
    weight = serializers.DecimalField(max_digits=5, decimal_places=2,
                                      min_value=Decimal("0.01"))


class RubricSerializer(serializers.Serializer):
    criteria = CriterionSerializer(many=True, max_length=30)
    editable = serializers.BooleanField(read_only=True,
                                        help_text=_("False once reviewers have scored."))


class ApplicationBriefSerializer(serializers.Serializer):
    """What a reviewer sees before declaring: enough to know whether they have a conflict."""

    id = serializers.IntegerField()
    reference = serializers.CharField(allow_null=True)
    title = serializers.CharField()
    call = serializers.IntegerField(source="call_id")
    call_number = serializers.IntegerField(source="call.number")
    countries = country_list()
    organisation_name = serializers.SerializerMethodField()
    organisation_country = CountryCodeField(source="organisation.country")
    blind_review = serializers.BooleanField(source="call.blind_review")

    def get_organisation_name(self, app) -> str | None:
        request = self.context.get("request")
        if request is not None and hides_identity(request.user, app):
            return None
        return app.organisation.name


class ScoresMixin:
    def _criteria(self, review):
        return list(review.application.call.review_criteria.all())

    @extend_schema_field({"type": "object",
                          "additionalProperties": {"type": "integer", "nullable": True}})
    def get_scores(self, review) -> dict:
        return {s.criterion.code: s.score for s in review.scores.all()}

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "string"}})
    def get_comments(self, review) -> dict:
        return {s.criterion.code: s.comment for s in review.scores.all() if s.comment}

    @extend_schema_field(serializers.DecimalField(max_digits=4, decimal_places=2,
                                                  allow_null=True))
    def get_weighted_score(self, review) -> str | None:
        score = weighted_score(review, self._criteria(review))
        return f"{score:.2f}" if score is not None else None


class ReviewSerializer(ScoresMixin, serializers.Serializer):
    id = serializers.IntegerField()
    application = serializers.IntegerField(source="application_id")
    application_brief = serializers.SerializerMethodField()
    reviewer = serializers.IntegerField(source="reviewer_id")
    reviewer_name = serializers.CharField(source="reviewer.display_name")
    status = serializers.ChoiceField(choices=ReviewStatus.choices)
    conflict_declared = serializers.BooleanField(allow_null=True)
    conflict_note = serializers.CharField()
    criteria = serializers.SerializerMethodField(help_text=_("The call's rubric."))
    scores = serializers.SerializerMethodField(help_text=_("Criterion code → 1..5."))
    comments = serializers.SerializerMethodField(help_text=_("Criterion code → comment."))
    comment = serializers.CharField(help_text=_("Overall comment."))
    weighted_score = serializers.SerializerMethodField(
        help_text=_("Weighted average of the scores (1–5) once every criterion is scored."))
    assigned_at = serializers.DateTimeField()
    declared_at = serializers.DateTimeField(allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(ApplicationBriefSerializer)
    def get_application_brief(self, review) -> dict:
        return ApplicationBriefSerializer(review.application, context=self.context).data

    @extend_schema_field(CriterionSerializer(many=True))
    def get_criteria(self, review) -> list[dict]:
        return CriterionSerializer(self._criteria(review), many=True).data


class CriterionScoresSerializer(serializers.Serializer):
    """A review's scores, one integer field per criterion of ``criteria`` (``(code, name)``):
    a typed column each in a file."""

    def __init__(self, *args, criteria=(), **kwargs):
        self._criteria_list = list(criteria)
        super().__init__(*args, **kwargs)

    def get_fields(self):
        return {code: serializers.IntegerField(label=name, read_only=True)
                for code, name in self._criteria_list}

    def to_representation(self, review):
        by_code = {s.criterion.code: s.score for s in review.scores.all()}
        return {code: by_code.get(code) for code, _name in self._criteria_list}


class ReviewExportSerializer(ScoresMixin, serializers.Serializer):
    """The file of reviews (``?format=csv|xlsx``): the application flattened, labels in the
    reader's language, a number column per criterion of the listed calls and the weighted
    score; no objects packed into a cell."""

    id = serializers.IntegerField()
    application_reference = serializers.CharField(source="application.reference")
    title = serializers.CharField(source="application.title")
    call_number = serializers.IntegerField(source="application.call.number")
    organisation_name = serializers.SerializerMethodField()
    reviewer_name = serializers.CharField(source="reviewer.display_name",
                                          label=_("Reviewer"))
    status = serializers.CharField(source="get_status_display", label=_("Status"))
    conflict_declared = serializers.BooleanField(allow_null=True,
                                                 label=_("Conflict of interest"))
    conflict_note = serializers.CharField(label=_("Conflict note"))
    weighted_score = serializers.SerializerMethodField(label=_("Weighted score (1-5)"))
    comment = serializers.CharField(label=_("Overall comment"))
    assigned_at = serializers.DateTimeField(label=_("Assigned"))
    declared_at = serializers.DateTimeField(allow_null=True, label=_("Declared"))
    submitted_at = serializers.DateTimeField(allow_null=True)

    def get_fields(self):
        fields = super().get_fields()
        fields["scores"] = CriterionScoresSerializer(
            source="*", label=_("Score"), criteria=self.context.get("criteria", ()))
        return fields

    def get_organisation_name(self, review) -> str | None:
        request = self.context.get("request")
        if request is not None and hides_identity(request.user, review.application):
            return None
        return review.application.organisation.name


class PeerReviewSerializer(ScoresMixin, serializers.Serializer):
    """Another reviewer's submitted scores, without their name or comments."""

    scores = serializers.SerializerMethodField()
    weighted_score = serializers.SerializerMethodField()
    submitted_at = serializers.DateTimeField()

    def __init__(self, *args, criteria=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._rubric = criteria or []

    def _criteria(self, review):
        return self._rubric


class ReviewDetailSerializer(ReviewSerializer):
    peer_reviews = serializers.SerializerMethodField(
        help_text=_("Other reviewers' submitted scores: only once this review is submitted."))

    @extend_schema_field(PeerReviewSerializer(many=True))
    def get_peer_reviews(self, review) -> list[dict]:
        return PeerReviewSerializer(peer_reviews(review), many=True,
                                    criteria=self._criteria(review)).data


class ReviewWriteSerializer(serializers.Serializer):
    scores = serializers.DictField(
        child=serializers.IntegerField(min_value=SCORE_MIN, max_value=SCORE_MAX, allow_null=True,
                                       error_messages=SCORE_ERRORS),
        required=False, help_text=_("Criterion code → 1..5 (null clears a score)."))
    comments = serializers.DictField(child=serializers.CharField(max_length=5000,
                                                                 allow_blank=True),
                                     required=False)
    comment = serializers.CharField(max_length=10000, required=False, allow_blank=True)


class DeclareSerializer(serializers.Serializer):
    conflict = serializers.BooleanField(help_text=_("true: a conflict of interest."))
    note = serializers.CharField(max_length=3000, required=False, allow_blank=True, default="")


class AssignSerializer(serializers.Serializer):
    reviewers = serializers.ListField(child=id_field(),
                                      min_length=1, max_length=20,
                                      help_text=_("User ids from /api/v1/users/?role=reviewer."))


class AutoAssignSerializer(serializers.Serializer):
    per_application = serializers.IntegerField(min_value=1, max_value=10, default=2)


class AutoAssignResultSerializer(serializers.Serializer):
    assigned = serializers.DictField(child=serializers.ListField(child=serializers.IntegerField()),
                                     help_text=_("Application id → reviewer ids assigned."))
    short = serializers.DictField(child=serializers.IntegerField(),
                                  help_text=_("Application id → reviewers still missing."))


class RemindResultSerializer(serializers.Serializer):
    sent = serializers.IntegerField()


class ReviewerSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)
    name = serializers.CharField(source="display_name", read_only=True)
    is_external = serializers.SerializerMethodField()
    expertise = serializers.SerializerMethodField()
    conflict_countries = serializers.SerializerMethodField()
    load = serializers.SerializerMethodField(
        help_text=_("Active reviews in `?call=` (or all calls), pending reviews anywhere."))

    def _profile(self, user):
        return getattr(user, "reviewer_profile", None) if hasattr(user, "reviewer_profile") \
            else None

    def get_is_external(self, user) -> bool:
        profile = self._profile(user)
        return True if profile is None else profile.is_external

    def get_expertise(self, user) -> str:
        profile = self._profile(user)
        return profile.expertise if profile else ""

    @extend_schema_field(country_list())
    def get_conflict_countries(self, user) -> list[str]:
        profile = self._profile(user)
        return [c.code for c in profile.conflict_countries] if profile else []

    @extend_schema_field({"type": "object", "properties": {
        "total": {"type": "integer"}, "pending": {"type": "integer"},
        "submitted": {"type": "integer"}}})
    def get_load(self, user) -> dict:
        return self.context.get("loads", {}).get(user.pk, {"total": 0, "pending": 0,
                                                           "submitted": 0})


class ReviewerProfileWriteSerializer(serializers.Serializer):
    is_external = serializers.BooleanField(required=False)
    expertise = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    conflict_countries = country_list(required=False)
    conflict_organisations = serializers.ListField(
        child=id_field(), required=False, max_length=200,
        help_text=_("Organisation ids the reviewer has a conflict with."))

    def validate_conflict_organisations(self, ids):
        found = list(Organisation.objects.filter(pk__in=ids))
        if len(found) != len(set(ids)):
            raise serializers.ValidationError(_("Unknown organisation id."))
        return found


# --- views ---------------------------------------------------------------------------------


class ReviewFilterSerializer(serializers.Serializer):
    call = id_field(required=False)
    application = id_field(required=False)
    reviewer = id_field(required=False)
    status = serializers.ChoiceField(choices=ReviewStatus.choices, required=False)


class ReviewViewSet(PermissionsByAction, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                    viewsets.GenericViewSet):
    """Reviews: a reviewer's own, or every review for the secretariat."""

    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_fields: list = []
    ordering_fields = ["assigned_at", "submitted_at", "status"]
    lookup_value_regex = r"\d+"
    permissions = {"*": (ReadsReviews,), "partial_update": (SCORE,), "declare": (SCORE,),
                   "submit": (SCORE,), "destroy": (ASSIGN,)}

    def get_serializer_class(self):
        if self.action == "list" and is_export(self.request):
            return ReviewExportSerializer  # typed columns, one per criterion
        return ReviewSerializer if self.action == "list" else ReviewDetailSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.action == "list" and is_export(self.request):
            if not hasattr(self, "_export_criteria"):
                self._export_criteria = review_criteria(self.get_queryset())
            context["criteria"] = self._export_criteria
        return context

    def get_queryset(self):
        params = ReviewFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return review_list(self.request.user, **params.validated_data)

    def get_object(self):
        return get_review_for(self.request.user, self.kwargs["pk"])

    def _render(self, review) -> Response:
        fresh = get_review_for(self.request.user, review.pk)
        return Response(ReviewDetailSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(summary=_("Reviews"), parameters=[ReviewFilterSerializer],
                   description=_("A reviewer's own; every review for the secretariat."))
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary=_("A review"), responses={200: ReviewDetailSerializer,
                                                     404: NOT_FOUND})
    def retrieve(self, request, *args, **kwargs):
        return Response(ReviewDetailSerializer(self.get_object(),
                                               context=self.get_serializer_context()).data)

    @extend_schema(summary=_("Save scores and comments of a draft review (its reviewer)"),
                   request=ReviewWriteSerializer,
                   description=_("Scores run from 1 to 5; 409 before the declaration and "
                                 "after submission."),
                   responses={200: ReviewDetailSerializer, 404: NOT_FOUND, 409: CONFLICT})
    def partial_update(self, request, pk=None):
        review = self.get_object()
        serializer = ReviewWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        review_save(actor=request.user, review=review, **serializer.validated_data)
        return self._render(review)

    @extend_schema(summary=_("Declare a conflict of interest, or none (its reviewer)"),
                   request=DeclareSerializer,
                   responses={200: ReviewDetailSerializer, 404: NOT_FOUND, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def declare(self, request, pk=None):
        review = self.get_object()
        serializer = DeclareSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        review_declare(actor=request.user, review=review, **serializer.validated_data)
        return self._render(review)

    @extend_schema(summary=_("Submit a complete review; it is locked (its reviewer)"),
                   request=None,
                   responses={200: ReviewDetailSerializer, 404: NOT_FOUND, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        review = self.get_object()
        review_submit(actor=request.user, review=review)
        return self._render(review)

    @extend_schema(summary=_("Withdraw an assignment not yet submitted (secretariat)"),
                   responses={204: None, 404: NOT_FOUND, 409: CONFLICT})
    def destroy(self, request, pk=None):
        review_unassign(actor=request.user, review=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class ApplicationReviewViewSet(PermissionsByAction, viewsets.GenericViewSet):
    """``/applications/{id}/assign-reviewers/``."""

    queryset = Application.objects.none()  # the path's id is an application's (schema)
    serializer_class = ReviewSerializer
    lookup_value_regex = r"\d+"
    permissions = {"*": (ASSIGN,)}

    @extend_schema(summary=_("Assign reviewers to an eligible application (secretariat)"),
                   request=AssignSerializer,
                   description=_("Adds the reviewers (those already assigned stay); the "
                                 "application moves to under review. Returns its reviews."),
                   responses={200: ReviewSerializer(many=True), 404: NOT_FOUND,
                              409: CONFLICT})
    @action(detail=True, methods=["post"], url_path="assign-reviewers",
            pagination_class=None)  # answers the plain list of the application's reviews
    def assign_reviewers(self, request, pk=None):
        app = get_application_for(request.user, pk)
        serializer = AssignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ids = serializer.validated_data["reviewers"]
        users = list(User.objects.filter(pk__in=ids))
        if len(users) != len(set(ids)):
            raise serializers.ValidationError({"reviewers": [_("Unknown user id.")]})
        reviewers_assign(actor=request.user, application=app, reviewers=users)
        reviews = review_list(request.user, application=app.pk).order_by("assigned_at", "id")
        return Response(ReviewSerializer(reviews, many=True,
                                         context=self.get_serializer_context()).data)


class CallReviewViewSet(PermissionsByAction, viewsets.GenericViewSet):
    """A call's rubric, automatic assignment and reminders."""

    queryset = Call.objects.none()  # the path's id is a call's (schema)
    serializer_class = RubricSerializer
    lookup_value_regex = r"\d+"
    permissions = {"*": (MANAGE,), "auto_assign_reviewers": (ASSIGN,)}

    def _call(self):
        return get_call_for(self.request.user, self.kwargs["pk"])

    def _rubric(self, call) -> Response:
        criteria = call_rubric_ensure_defaults(call=call, actor=self.request.user)
        return Response(RubricSerializer({"criteria": criteria,
                                          "editable": not call_has_scores(call)}).data)

    @extend_schema(methods=["GET"], summary=_("A call's review rubric (secretariat)"),
                   responses={200: RubricSerializer, 404: NOT_FOUND})
    @extend_schema(methods=["PUT"], summary=_("Replace a call's rubric before scoring starts "
                                              "(secretariat)"),
                   request=RubricSerializer,
                   responses={200: RubricSerializer, 404: NOT_FOUND, 409: CONFLICT})
    @action(detail=True, methods=["get", "put"])
    def rubric(self, request, pk=None):
        call = self._call()
        if request.method == "PUT":
            serializer = RubricSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            call_rubric_update(actor=request.user, call=call, criteria=[
                dict(c) for c in serializer.validated_data["criteria"]])
        return self._rubric(call)

    @extend_schema(summary=_("Assign reviewers automatically to the call's eligible "
                             "applications (secretariat)"),
                   request=AutoAssignSerializer,
                   description=_("At least `per_application` reviewers each, fewest current "
                                 "assignments first (ties: lowest user id), never one with a "
                                 "declared conflict with the organisation or its country."),
                   responses={200: AutoAssignResultSerializer, 404: NOT_FOUND})
    @action(detail=True, methods=["post"], url_path="auto-assign-reviewers")
    def auto_assign_reviewers(self, request, pk=None):
        call = self._call()
        serializer = AutoAssignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = reviewers_assign_auto(actor=request.user, call=call, **serializer.validated_data)
        return Response(AutoAssignResultSerializer(
            {"assigned": {str(k): v for k, v in result.assigned.items()},
             "short": {str(k): v for k, v in result.short.items()}}).data)

    @extend_schema(summary=_("Remind reviewers of their pending reviews now (secretariat)"),
                   request=None, responses={200: RemindResultSerializer, 404: NOT_FOUND})
    @action(detail=True, methods=["post"], url_path="remind-reviewers")
    def remind_reviewers(self, request, pk=None):
        sent = reviews_remind_pending(actor=request.user, call=self._call(), force=True)
        return Response({"sent": sent})


class ReviewerViewSet(PermissionsByAction, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The reviewer pool with each reviewer's load (`?call=` for one call's)."""

    serializer_class = ReviewerSerializer
    filter_backends: list = []
    lookup_value_regex = r"\d+"
    permissions = {"*": (MANAGE,)}

    def get_queryset(self):
        return reviewer_pool_with_profiles()

    def _loads(self):
        raw = self.request.query_params.get("call")
        if not raw:
            return reviewer_loads(None)
        if not raw.isdigit() or len(raw) > 18:
            raise serializers.ValidationError({"call": [_("Enter a call id.")]})
        return reviewer_loads(get_call_for(self.request.user, int(raw)))

    def get_serializer_context(self):
        return super().get_serializer_context() | {"loads": self._loads()}

    @extend_schema(summary=_("The reviewer pool (secretariat)"))
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary=_("Update a reviewer's profile: external, expertise, conflicts "
                             "(secretariat)"),
                   request=ReviewerProfileWriteSerializer,
                   responses={200: ReviewerSerializer, 404: NOT_FOUND,
                              400: OpenApiResponse(description=_("Invalid data."))})
    def partial_update(self, request, pk=None):
        user = reviewer_pool_with_profiles().filter(pk=pk).first()
        if user is None:
            raise Http404
        serializer = ReviewerProfileWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reviewer_profile_update(actor=request.user, user=user,
                                values=dict(serializer.validated_data))
        fresh = reviewer_pool_with_profiles().get(pk=user.pk)
        return Response(ReviewerSerializer(fresh, context=self.get_serializer_context()).data)

