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

from fundapp.core.api import capability
from fundapp.core.errors import NotAllowed
from fundapp.core.throttling import ScopedRateThrottle
from fundapp.core.validators import single_line
from grants.models import Invitation, Membership, Organisation, OrganisationStatus, OrgRole
from grants.selectors.organisations import (
    get_invitation_for,
    get_member_for,
    get_organisation_for,
    members_of,
    org_can,
    organisations_visible_to,
    pending_invitations_of,
)
from grants.selectors.search import organisations_matching
from grants.services.invitations import invitation_accept, invitation_create, invitation_revoke
from grants.services.members import member_change_role, member_remove
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
        return organisations_matching(queryset, value) if value.strip() else queryset


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


# Members and invitations ------------------------------------------------------------------


class MemberSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    name = serializers.CharField(source="user.display_name", read_only=True)
    joined_at = serializers.DateTimeField(source="created_at", read_only=True)
    last_login = serializers.DateTimeField(source="user.last_login", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "user", "username", "name", "email", "role", "joined_at", "last_login"]
        read_only_fields = ["id", "user"]


class MemberRoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=OrgRole.choices)


class InvitationSerializer(serializers.ModelSerializer):
    invited_by = serializers.CharField(source="invited_by.display_name", read_only=True,
                                       default="")

    class Meta:
        model = Invitation
        fields = ["id", "email", "role", "invited_by", "created_at", "expires_at"]
        read_only_fields = ["id", "invited_by", "created_at", "expires_at"]
        extra_kwargs = {"role": {"required": True, "allow_blank": False}}


class AcceptSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150, required=False, allow_blank=True,
                                     validators=[single_line])
    password = serializers.CharField(max_length=128, required=False, allow_blank=True,
                                     trim_whitespace=False)
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True,
                                       validators=[single_line])
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True,
                                      validators=[single_line])


class AcceptedSerializer(serializers.Serializer):
    user = serializers.IntegerField()
    username = serializers.CharField()
    organisation = serializers.IntegerField(allow_null=True)
    role = serializers.CharField()


class InvitationThrottle(ScopedRateThrottle):
    """Per signed-in user, or per client address for anonymous link holders."""


class _OrganisationChild(viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated]
    lookup_value_regex = r"\d+"

    def organisation(self) -> Organisation:
        if not hasattr(self, "_organisation"):
            self._organisation = get_organisation_for(self.request.user,
                                                      self.kwargs["organisation_pk"])
        return self._organisation


@extend_schema_view(
    list=extend_schema(summary=_("An organisation's members"),
                       description=_("Its members and the secretariat read; others get 404."),
                       responses={200: MemberSerializer(many=True), 404: NOT_FOUND}),
    retrieve=extend_schema(summary=_("A member"),
                           responses={200: MemberSerializer, 404: NOT_FOUND}),
)
class MemberViewSet(_OrganisationChild, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    serializer_class = MemberSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no organisation
            return Membership.objects.none()
        return members_of(self.organisation())

    def get_object(self):
        return get_member_for(self.request.user, self.organisation(), self.kwargs["pk"])

    @extend_schema(summary=_("Change a member's role (the organisation's admins)"),
                   request=MemberRoleSerializer,
                   responses={200: MemberSerializer, 403: None, 404: NOT_FOUND, 409: CONFLICT})
    def partial_update(self, request, organisation_pk=None, pk=None):
        membership = self.get_object()
        serializer = MemberRoleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        member_change_role(actor=request.user, membership=membership,
                           role=serializer.validated_data["role"])
        return Response(MemberSerializer(self.get_object()).data)

    @extend_schema(summary=_("Remove a member (admins), or leave (the member)"),
                   responses={204: None, 403: None, 404: NOT_FOUND, 409: CONFLICT})
    def destroy(self, request, organisation_pk=None, pk=None):
        member_remove(actor=request.user, membership=self.get_object())
        return Response(status=204)


@extend_schema_view(
    list=extend_schema(summary=_("An organisation's pending invitations (its admins)"),
                       responses={200: InvitationSerializer(many=True), 403: None,
                                  404: NOT_FOUND}),
)
class OrganisationInvitationViewSet(_OrganisationChild, mixins.ListModelMixin):
    serializer_class = InvitationSerializer

    def _require_admin(self) -> Organisation:
        organisation = self.organisation()
        if not org_can(self.request.user, organisation, "members.manage"):
            raise NotAllowed(_("Only the organisation's administrators manage invitations."))
        return organisation

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no organisation
            return Invitation.objects.none()
        return pending_invitations_of(self._require_admin())

    @extend_schema(summary=_("Invite a person by e-mail (the organisation's admins)"),
                   request=InvitationSerializer,
                   responses={201: InvitationSerializer, 400: None, 403: None,
                              404: NOT_FOUND})
    def create(self, request, organisation_pk=None):
        organisation = self._require_admin()
        serializer = InvitationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invitation, _token = invitation_create(
            actor=request.user, organisation=organisation,
            email=serializer.validated_data["email"], role=serializer.validated_data["role"])
        return Response(InvitationSerializer(invitation).data, status=201)

    @extend_schema(summary=_("Revoke a pending invitation (the organisation's admins)"),
                   responses={204: None, 403: None, 404: NOT_FOUND})
    def destroy(self, request, organisation_pk=None, pk=None):
        invitation = get_invitation_for(request.user, self._require_admin(), pk)
        invitation_revoke(actor=request.user, invitation=invitation)
        return Response(status=204)


class InvitationAcceptViewSet(viewsets.GenericViewSet):
    """Whoever holds the link: signed in, join; anonymous, create the account and join."""

    permission_classes: list = []
    throttle_classes = [InvitationThrottle]
    throttle_scope = "invitation"
    lookup_field = "token"
    lookup_value_regex = r"[A-Za-z0-9_-]{1,100}"
    serializer_class = AcceptSerializer

    @extend_schema(summary=_("Accept an invitation"), request=AcceptSerializer,
                   responses={200: AcceptedSerializer, 201: AcceptedSerializer, 400: None,
                              404: NOT_FOUND, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def accept(self, request, token: str):
        serializer = AcceptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        signed_in = request.user.is_authenticated
        user = invitation_accept(
            token=token, user=request.user if signed_in else None,
            username=serializer.validated_data.get("username"),
            password=serializer.validated_data.get("password"),
            first_name=serializer.validated_data.get("first_name", ""),
            last_name=serializer.validated_data.get("last_name", ""))
        membership = Membership.objects.filter(user=user).first()
        data = {"user": user.pk, "username": user.username,
                "organisation": membership.organisation_id if membership else None,
                "role": membership.role if membership else ""}
        return Response(AcceptedSerializer(data).data, status=200 if signed_in else 201)
