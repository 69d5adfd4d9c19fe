"""Grants API: calls for proposals and their clarification Q&A.

Thin views: a serializer checks the shape, one service writes, one selector reads. Objects the
user may not see are 404 (the selectors' getters); domain errors become 400/403/409 in
``fundapp.core.api.exception_handler``.
"""

import django_filters
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from fundapp.core.api import capability
from fundapp.core.validators import single_line
from grants.models import Call, CallStatus, DocumentKind
from grants.selectors.calls import (
    calls_visible_to,
    filter_calls_by_status,
    get_call_for,
    get_question_for,
    questions_for,
)
from grants.services.calls import (
    call_clone,
    call_close,
    call_create,
    call_publish,
    call_update,
    clarification_answer,
    clarification_ask,
)

from .common import (
    CONFLICT,
    NOT_FOUND,
    SMALLINT_MAX,
    MoneyField,
    PermissionsByAction,
    country_list,
)

MANAGE_CALLS = capability("call.manage")


# Serializers --------------------------------------------------------------------------------


class CallPrioritySerializer(serializers.Serializer):
    code = serializers.SlugField(max_length=40)
    name = serializers.CharField(read_only=True)
    name_en = serializers.CharField(max_length=200)
    name_fr = serializers.CharField(max_length=200, required=False, allow_blank=True)
    weight = serializers.DecimalField(max_digits=5, decimal_places=2, required=False)


class CallSerializer(serializers.Serializer):
    """A call for proposals. Written by the secretariat; `status` changes through actions."""

    id = serializers.IntegerField(read_only=True)
    number = serializers.IntegerField(min_value=1, max_value=SMALLINT_MAX)
    title = serializers.CharField(read_only=True, help_text=_("In the reader's language."))
    title_en = serializers.CharField(max_length=200, validators=[single_line])
    title_fr = serializers.CharField(max_length=200, required=False, allow_blank=True,
                                     validators=[single_line])
    description = serializers.CharField(read_only=True)
    description_en = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    description_fr = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    status = serializers.ChoiceField(
        choices=CallStatus.choices, source="effective_status", read_only=True,
        help_text=_("A published call whose deadline has passed reads as closed."))
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    envelope_usd = MoneyField()
    min_grant_usd = MoneyField()
    max_grant_usd = MoneyField()
    max_duration_months = serializers.IntegerField(max_value=SMALLINT_MAX)
    required_documents = serializers.ListField(
        child=serializers.ChoiceField(choices=DocumentKind.choices), required=False,
        max_length=len(DocumentKind.values))
    eligible_countries = country_list(
        required=False, help_text=_("Empty: every country is eligible."))
    priorities = CallPrioritySerializer(many=True, required=False, max_length=50)
    is_open = serializers.SerializerMethodField(
        help_text=_("Published and inside its submission window right now."))
    published_at = serializers.DateTimeField(read_only=True, allow_null=True)
    closed_at = serializers.DateTimeField(read_only=True, allow_null=True)

    def get_is_open(self, call) -> bool:
        return call.is_accepting_submissions()


class CallCloneSerializer(serializers.Serializer):
    number = serializers.IntegerField(min_value=1, max_value=SMALLINT_MAX)
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()


class QuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    call = serializers.IntegerField(source="call_id", read_only=True)
    question = serializers.CharField(max_length=4000)
    answer = serializers.CharField(read_only=True)
    is_published = serializers.BooleanField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    published_at = serializers.DateTimeField(read_only=True, allow_null=True)


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=8000)
    publish = serializers.BooleanField(
        default=True, help_text=_("Publish the answer to every applicant (default)."))


# Filters ------------------------------------------------------------------------------------


class CallFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=CallStatus.choices, method="filter_status",
        label=_("Status as people see it: a published call past its deadline is closed."),
    )

    class Meta:
        model = Call
        fields = ["status"]

    def filter_status(self, queryset, name, value):
        return filter_calls_by_status(queryset, value)


# Views --------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary=_("Calls for proposals"),
                       description=_("Every published call; drafts for the secretariat only.")),
    retrieve=extend_schema(summary=_("A call for proposals"), responses={200: CallSerializer,
                                                                         404: NOT_FOUND}),
)
class CallViewSet(PermissionsByAction, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                  viewsets.GenericViewSet):
    serializer_class = CallSerializer
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = CallFilter
    ordering_fields = ["number", "opens_at", "closes_at"]
    lookup_value_regex = r"\d+"
    permissions = {"*": (AllowAny,), "create": (MANAGE_CALLS,),
                   "partial_update": (MANAGE_CALLS,), "publish": (MANAGE_CALLS,),
                   "close": (MANAGE_CALLS,), "clone": (MANAGE_CALLS,)}

    def get_queryset(self):
        return calls_visible_to(self.request.user)

    def get_object(self):
        return get_call_for(self.request.user, self.kwargs["pk"])

    def _render(self, call, code=status.HTTP_200_OK) -> Response:
        fresh = get_call_for(self.request.user, call.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    @extend_schema(summary=_("Create a draft call"), responses={201: CallSerializer})
    def create(self, request):
        serializer = CallSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        priorities = values.pop("priorities", None)
        call = call_create(actor=request.user, values=values, priorities=priorities)
        return self._render(call, status.HTTP_201_CREATED)

    @extend_schema(summary=_("Change a draft or open call"),
                   responses={200: CallSerializer, 404: NOT_FOUND, 409: CONFLICT})
    def partial_update(self, request, pk=None):
        call = self.get_object()
        serializer = CallSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        priorities = values.pop("priorities", None)
        call_update(actor=request.user, call=call, values=values, priorities=priorities)
        return self._render(call)

    @extend_schema(summary=_("Publish a draft call"), request=None,
                   responses={200: CallSerializer, 404: NOT_FOUND, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._render(call_publish(actor=request.user, call=self.get_object()))

    @extend_schema(summary=_("Close an open call"), request=None,
                   responses={200: CallSerializer, 404: NOT_FOUND, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._render(call_close(actor=request.user, call=self.get_object()))

    @extend_schema(
        summary=_("Clone a call into a new draft (secretariat)"), request=CallCloneSerializer,
        description=_("A new draft call with the same terms, limits, eligible countries, "
                      "required documents, review and ranking settings, priorities and "
                      "rubric; applications, questions and reviews are not copied. 400 when "
                      "the number is taken or the call would not close after it opens."),
        responses={201: CallSerializer, 404: NOT_FOUND})
    @action(detail=True, methods=["post"])
    def clone(self, request, pk=None):
        source = self.get_object()
        serializer = CallCloneSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        clone = call_clone(actor=request.user, call=source, **serializer.validated_data)
        return self._render(clone, status.HTTP_201_CREATED)


@extend_schema(parameters=[OpenApiParameter("call_pk", int, OpenApiParameter.PATH)])
@extend_schema_view(
    list=extend_schema(
        summary=_("Clarification questions on a call"),
        description=_("Published answers for everyone; the secretariat also sees unanswered "
                      "questions, and an applicant its own.")),
    create=extend_schema(summary=_("Ask a question about an open call (NGO)"),
                         responses={201: QuestionSerializer, 409: CONFLICT}),
)
class CallQuestionViewSet(PermissionsByAction, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = QuestionSerializer
    filter_backends: list = []
    lookup_value_regex = r"\d+"
    permissions = {"*": (AllowAny,), "create": (capability("clarification.ask"),),
                   "answer": (capability("clarification.answer"),)}

    def call(self):
        return get_call_for(self.request.user, self.kwargs["call_pk"])

    def get_queryset(self):
        return questions_for(self.call(), self.request.user)

    def create(self, request, call_pk=None):
        call = self.call()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        question = clarification_ask(actor=request.user, call=call,
                                     question=serializer.validated_data["question"])
        return Response(self.get_serializer(question).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary=_("Answer a question (secretariat)"), request=AnswerSerializer,
                   responses={200: QuestionSerializer, 404: NOT_FOUND})
    @action(detail=True, methods=["post"])
    def answer(self, request, call_pk=None, pk=None):
        call = self.call()
        question = get_question_for(request.user, pk)
        if question.call_id != call.pk:
            raise Http404
        serializer = AnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        question = clarification_answer(actor=request.user, question=question,
                                        **serializer.validated_data)
        return Response(self.get_serializer(question).data)
