"""Grants API: organisations (NGO profiles) and their verification by the secretariat."""

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

import django_filters
from django.db.models import Q

from fundapp.core.api import capability
from fundapp.core.validators import single_line
from grants.models import Organisation, OrganisationStatus
from grants.selectors.organisations import get_organisation_for, organisations_visible_to
from grants.services.organisations import organisation_update, organisation_verify

from .common import CONFLICT, NOT_FOUND, CountryCodeField, PermissionsByAction, country_code


# Serializers --------------------------------------------------------------------------------


class OrganisationSerializer(serializers.ModelSerializer):
    country = CountryCodeField()
    verified = serializers.BooleanField(read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "id", "name", "country", "registration_number", "verified", "status",
            "status_reason", "year_founded", "contact_name", "contact_email", "contact_phone",
            "website", "address", "annual_budget_usd", "un_partner_portal_id",
            "psea_declaration", "track_record", "verified_at", "created_at",
        ]
        read_only_fields = ["status", "status_reason", "verified_at", "created_at"]
        validators: list = []  # uniqueness is the service's rule, with a friendlier message
        extra_kwargs = {"name": {"validators": [single_line]},
                        "contact_name": {"validators": [single_line]}}


class ChecklistSerializer(serializers.Serializer):
    registration_certificate = serializers.BooleanField(default=False)
    safeguarding_policy = serializers.BooleanField(default=False)
    track_record = serializers.BooleanField(default=False)


class VerifySerializer(serializers.Serializer):
    approve = serializers.BooleanField(
        default=True, help_text=_("true to verify, false to reject (reasons required)."))
    checklist = ChecklistSerializer(required=False)
    reasons = serializers.CharField(max_length=5000, required=False, allow_blank=True,
                                    default="")


# Filters ------------------------------------------------------------------------------------


class OrganisationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=OrganisationStatus.choices)
    country = django_filters.CharFilter(method="filter_country", validators=[country_code],
                                        label=_("ISO 3166-1 alpha-2 country code"))

    search = django_filters.CharFilter(
        method="filter_search", label=_("Words in the name or registration number"))

    class Meta:
        model = Organisation
        fields = ["status", "country", "search"]

    def filter_country(self, queryset, name, value):
        return queryset.filter(country=value.upper())

    def filter_search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(registration_number__icontains=value))


# Views --------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary=_("Organisations"),
                       description=_("An NGO user sees its own; the secretariat sees all.")),
    retrieve=extend_schema(summary=_("An organisation"),
                           responses={200: OrganisationSerializer, 404: NOT_FOUND}),
)
class OrganisationViewSet(PermissionsByAction, mixins.ListModelMixin,
                          mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = OrganisationSerializer
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = OrganisationFilter
    ordering_fields = ["name", "country", "status", "created_at"]
    lookup_value_regex = r"\d+"
    permissions = {"*": (IsAuthenticated,), "verify": (capability("organisation.verify"),)}

    def get_queryset(self):
        return organisations_visible_to(self.request.user)

    def get_object(self):
        return get_organisation_for(self.request.user, self.kwargs["pk"])

    def _render(self, organisation) -> Response:
        fresh = get_organisation_for(self.request.user, organisation.pk)
        return Response(self.get_serializer(fresh).data)

    @extend_schema(summary=_("Update an organisation's profile (its members, the secretariat)"),
                   responses={200: OrganisationSerializer, 404: NOT_FOUND})
    def partial_update(self, request, pk=None):
        organisation = self.get_object()
        serializer = self.get_serializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        organisation_update(actor=request.user, organisation=organisation,
                            values=dict(serializer.validated_data))
        return self._render(organisation)

    @extend_schema(summary=_("Verify or reject an organisation (secretariat)"),
                   request=VerifySerializer,
                   responses={200: OrganisationSerializer, 404: NOT_FOUND, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        organisation = self.get_object()
        serializer = VerifySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        organisation_verify(actor=request.user, organisation=organisation,
                            approve=data["approve"], checklist=data.get("checklist"),
                            reason=data["reasons"])
        return self._render(organisation)
