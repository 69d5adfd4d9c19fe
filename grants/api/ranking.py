"""Ranking and portfolio API: a call's ranking with its full breakdown, the recommended
portfolio, finalising it for the board, the per-call settings, and the files.

The secretariat and the board read; only the secretariat changes settings and finalises.
Everyone else gets 403 (401 when not signed in); a call the user may not see is 404.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.settings import api_settings

from fundapp.core.api import Pagination, capability
from fundapp.core.pdf_api import PdfRenderer
from grants.exports import briefing_pack_file, portfolio_file, ranking_file
from grants.models import Call
from grants.selectors.calls import get_call_for
from grants.selectors.ranking import call_ranking, portfolio_view_data, ranking_data
from grants.services.ranking import portfolio_finalise, ranking_settings_update

from .common import CONFLICT, NOT_FOUND, PermissionsByAction

VIEW = capability("ranking.view")
MANAGE = capability("ranking.manage")
FINALISE = capability("portfolio.finalise")
MONEY = {"max_digits": 14, "decimal_places": 2}
SCORE = {"max_digits": 6, "decimal_places": 2, "allow_null": True}


# --- serializers (they describe the plain data of grants.selectors.ranking) -------------


class RankingLabelSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    weight = serializers.DecimalField(max_digits=5, decimal_places=2)


class RankingCriterionSerializer(RankingLabelSerializer):
    scores = serializers.ListField(child=serializers.IntegerField(),
                                   help_text=_("Each reviewer's score, 1–5."))
    mean = serializers.DecimalField(**SCORE)


class RankingReviewSerializer(serializers.Serializer):
    reviewer = serializers.IntegerField()
    reviewer_name = serializers.CharField()
    scores = serializers.DictField(child=serializers.IntegerField(),
                                   help_text=_("Criterion code → 1..5."))
    raw_score = serializers.DecimalField(**SCORE, help_text=_("0–100."))
    normalised_score = serializers.DecimalField(**SCORE, help_text=_("0–100."))
    z = serializers.DecimalField(max_digits=7, decimal_places=3)
    reviewer_mean = serializers.DecimalField(**SCORE)
    reviewer_std = serializers.DecimalField(**SCORE)
    reviewer_reviews = serializers.IntegerField()


class RankingPrioritySerializer(RankingLabelSerializer):
    claimed = serializers.BooleanField()
    confirmed = serializers.BooleanField()


class ScoreBreakdownSerializer(serializers.Serializer):
    raw_review_score = serializers.DecimalField(**SCORE)
    normalised_review_score = serializers.DecimalField(**SCORE)
    normalised = serializers.BooleanField()
    review_component = serializers.DecimalField(**SCORE)
    priority_score = serializers.DecimalField(**SCORE)
    review_weight = serializers.DecimalField(max_digits=3, decimal_places=2)
    priority_weight = serializers.DecimalField(max_digits=3, decimal_places=2)
    pooled_mean = serializers.DecimalField(**SCORE)
    pooled_std = serializers.DecimalField(**SCORE)
    criteria = RankingCriterionSerializer(many=True)
    reviews = RankingReviewSerializer(many=True)
    priorities = RankingPrioritySerializer(many=True)


class RankedApplicationSerializer(serializers.Serializer):
    rank = serializers.IntegerField(allow_null=True, help_text=_("None: no submitted review."))
    application = serializers.IntegerField()
    reference = serializers.CharField()
    title = serializers.CharField()
    organisation = serializers.CharField()
    countries = serializers.ListField(child=serializers.CharField())
    status = serializers.CharField()
    women_and_girls = serializers.BooleanField()
    total_score = serializers.DecimalField(**SCORE)
    requested_usd = serializers.DecimalField(**MONEY)
    cumulative_usd = serializers.DecimalField(**MONEY, allow_null=True)
    above_funding_line = serializers.BooleanField()
    breakdown = ScoreBreakdownSerializer()


class RankingSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    call = serializers.IntegerField()
    call_number = serializers.IntegerField()
    envelope_usd = serializers.DecimalField(**MONEY)
    review_weight = serializers.DecimalField(max_digits=3, decimal_places=2)
    normalise_reviews = serializers.BooleanField()
    funding_line_rank = serializers.IntegerField(allow_null=True)
    above_funding_line_usd = serializers.DecimalField(**MONEY)
    ranked_count = serializers.IntegerField()
    unranked_count = serializers.IntegerField()
    criteria = RankingLabelSerializer(many=True)
    priorities = RankingLabelSerializer(many=True)
    results = RankedApplicationSerializer(many=True)


class PortfolioItemSerializer(RankedApplicationSerializer):
    included = serializers.BooleanField()
    reserve_position = serializers.IntegerField(allow_null=True)
    reason_code = serializers.CharField(help_text=_(
        "included, excluded_budget, excluded_country_cap:<country>, excluded_not_needed, "
        "excluded_infeasible or not_reviewed."))
    reason_codes = serializers.ListField(child=serializers.CharField())
    reason = serializers.CharField(help_text=_("Why, in the reader's language."))
    in_rank_cut = serializers.BooleanField()


class PortfolioRankCutSerializer(serializers.Serializer):
    applications = serializers.ListField(child=serializers.IntegerField())
    total_usd = serializers.DecimalField(**MONEY)
    total_score = serializers.DecimalField(**SCORE)
    satisfies_constraints = serializers.BooleanField()
    violations = serializers.ListField(child=serializers.CharField())
    added = serializers.ListField(child=serializers.IntegerField())
    removed = serializers.ListField(child=serializers.IntegerField())
    added_references = serializers.ListField(child=serializers.CharField())
    removed_references = serializers.ListField(child=serializers.CharField())
    score_gained = serializers.DecimalField(**SCORE)


class RankingSettingsSerializer(serializers.Serializer):
    review_weight = serializers.DecimalField(
        max_digits=3, decimal_places=2, required=False,
        help_text=_("Share of the review score in the combined score, 0–1 (0.70 = 70/30)."))
    normalise_reviews = serializers.BooleanField(required=False)
    max_projects_per_country = serializers.IntegerField(required=False, allow_null=True,
                                                        min_value=1)
    min_women_girls_share = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, allow_null=True,
        help_text=_("Minimum share of the envelope for women-and-girls projects, in %."))
    min_countries = serializers.IntegerField(required=False, allow_null=True, min_value=0)


class PortfolioFinalisedSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    finalised_at = serializers.DateTimeField()
    finalised_by = serializers.CharField(allow_null=True)
    note = serializers.CharField()
    total_usd = serializers.DecimalField(**MONEY)
    total_score = serializers.DecimalField(**SCORE)
    matches_live = serializers.BooleanField(
        allow_null=True,
        help_text=_("False when the live recommendation now differs from this version; "
                    "null when a finalised version is read."))


class PortfolioSerializer(serializers.Serializer):
    call = serializers.IntegerField()
    call_number = serializers.IntegerField()
    source = serializers.ChoiceField(choices=["live", "finalised"])
    version = serializers.IntegerField(allow_null=True)
    status = serializers.CharField(help_text=_("optimal, time_limit, infeasible or "
                                               "solver_error."))
    feasible = serializers.BooleanField()
    message = serializers.CharField()
    envelope_usd = serializers.DecimalField(**MONEY)
    total_usd = serializers.DecimalField(**MONEY)
    total_score = serializers.DecimalField(**SCORE)
    remaining_usd = serializers.DecimalField(**MONEY)
    women_and_girls_usd = serializers.DecimalField(**MONEY, allow_null=True)
    women_and_girls_floor_usd = serializers.DecimalField(**MONEY, allow_null=True)
    countries_covered = serializers.IntegerField(allow_null=True)
    constraints = RankingSettingsSerializer()
    rank_cut = PortfolioRankCutSerializer()
    selected = PortfolioItemSerializer(many=True)
    reserve = PortfolioItemSerializer(many=True, help_text=_("In order."))
    applications = PortfolioItemSerializer(many=True)
    finalised = PortfolioFinalisedSerializer(allow_null=True,
                                             help_text=_("The current final version."))
    versions = serializers.ListField(child=serializers.IntegerField())


class PortfolioFinaliseSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="",
                                 help_text=_("Required when a version is already final."))


class PortfolioVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, required=False)


# --- views -----------------------------------------------------------------------------

FORMAT = OpenApiParameter("fmt", OpenApiTypes.STR, OpenApiParameter.PATH,
                          enum=["csv", "xlsx", "pdf"],
                          description=_("csv or xlsx; pdf (the briefing pack) for the "
                                        "portfolio."))
FILE = OpenApiResponse(OpenApiTypes.BINARY, description=_("The file."))
# The briefing pack is also asked for with ``Accept: application/pdf``.
FILE_RENDERERS = [*api_settings.DEFAULT_RENDERER_CLASSES, PdfRenderer]


class CallRankingViewSet(PermissionsByAction, viewsets.GenericViewSet):
    """``/calls/{id}/ranking/``, ``/portfolio/``, ``/portfolio/finalise/``,
    ``/ranking-settings/`` and the exports."""

    queryset = Call.objects.none()  # the path's id is a call's (schema)
    serializer_class = RankingSerializer
    lookup_value_regex = r"\d+"
    permissions = {"*": (VIEW,), "finalise": (FINALISE,)}

    def get_permissions(self):
        if self.action == "ranking_settings" and self.request.method != "GET":
            return [MANAGE()]
        return super().get_permissions()

    def _call(self) -> Call:
        return get_call_for(self.request.user, self.kwargs["pk"])

    def _version(self) -> int | None:
        params = PortfolioVersionSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return params.validated_data.get("version")

    @extend_schema(summary=_("A call's ranking with the full breakdown (secretariat, board)"),
                   description=_("Every application from eligible to not recommended, in rank "
                                 "order, with the funding line; paginated (`page`, "
                                 "`page_size`), the cumulative amounts run over the whole "
                                 "ranking."),
                   responses={200: RankingSerializer, 404: NOT_FOUND})
    @action(detail=True, methods=["get"])
    def ranking(self, request, pk=None):
        ranking = call_ranking(self._call())
        paginator = Pagination()
        page = paginator.paginate_queryset(ranking.rows, request, view=self)
        data = ranking_data(ranking, page)
        results = data.pop("results")
        return Response({"count": len(ranking.rows), "next": paginator.get_next_link(),
                         "previous": paginator.get_previous_link(), **data,
                         "results": results})

    @extend_schema(summary=_("The recommended portfolio (secretariat, board)"),
                   parameters=[PortfolioVersionSerializer],
                   description=_("The live recommendation, or with `?version=` a finalised "
                                 "one: selected set, totals, the reserve list in order, a "
                                 "reason for each application and the comparison with the "
                                 "plain rank-order cut."),
                   responses={200: PortfolioSerializer, 404: NOT_FOUND})
    @action(detail=True, methods=["get"])
    def portfolio(self, request, pk=None):
        return Response(portfolio_view_data(self._call(), self._version()))

    @extend_schema(summary=_("Finalise the recommendation for the board (secretariat)"),
                   request=PortfolioFinaliseSerializer,
                   description=_("Freezes the live recommendation as a new version, moves "
                                 "the ranked applications to recommended or not recommended "
                                 "and tells the board. 409 while the call is open or when "
                                 "nothing is ranked; a note is required from version 2 on."),
                   responses={201: PortfolioSerializer, 404: NOT_FOUND, 409: CONFLICT})
    @action(detail=True, methods=["post"], url_path="portfolio/finalise")
    def finalise(self, request, pk=None):
        call = self._call()
        serializer = PortfolioFinaliseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        recommendation = portfolio_finalise(actor=request.user, call=call,
                                            note=serializer.validated_data["note"])
        return Response(portfolio_view_data(call, recommendation.version),
                        status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], summary=_("A call's ranking settings (secretariat, board)"),
                   responses={200: RankingSettingsSerializer, 404: NOT_FOUND})
    @extend_schema(methods=["PATCH"], summary=_("Change a call's weighting, normalisation "
                                                "and portfolio constraints (secretariat)"),
                   request=RankingSettingsSerializer,
                   responses={200: RankingSettingsSerializer, 404: NOT_FOUND})
    @action(detail=True, methods=["get", "patch"], url_path="ranking-settings")
    def ranking_settings(self, request, pk=None):
        call = self._call()
        if request.method == "PATCH":
            serializer = RankingSettingsSerializer(data=request.data, partial=True)
            serializer.is_valid(raise_exception=True)
            call = ranking_settings_update(actor=request.user, call=call,
                                           values=dict(serializer.validated_data))
        return Response(RankingSettingsSerializer(call).data)

    @extend_schema(summary=_("The ranking as a file, CSV or XLSX (secretariat, board)"),
                   parameters=[FORMAT], responses={(200, "*/*"): FILE, 404: NOT_FOUND})
    @action(detail=True, methods=["get"], url_path=r"ranking/export/(?P<fmt>csv|xlsx)")
    def ranking_export(self, request, pk=None, fmt="csv"):
        call = self._call()
        return ranking_file(call, ranking_data(call_ranking(call)), fmt)

    @extend_schema(summary=_("The portfolio as CSV or XLSX, or the board's briefing pack "
                             "as PDF (secretariat, board)"),
                   description=_("With `?version=` a finalised version. Without it, the "
                                 "files show the live recommendation, except the briefing "
                                 "pack: it is the current final version while the live "
                                 "recommendation still matches it, and otherwise the live "
                                 "recommendation marked DRAFT on every page."),
                   parameters=[FORMAT, PortfolioVersionSerializer],
                   responses={(200, "*/*"): FILE, 404: NOT_FOUND})
    @action(detail=True, methods=["get"], url_path=r"portfolio/export/(?P<fmt>csv|xlsx|pdf)",
            renderer_classes=FILE_RENDERERS)
    def portfolio_export(self, request, pk=None, fmt="csv"):
        call = self._call()
        if fmt == "pdf":
            return briefing_pack_file(call, self._version())
        return portfolio_file(call, portfolio_view_data(call, self._version()), fmt)
