"""People API for the secretariat: staff invitations, roles, deactivation and reactivation.

Every other signed-in user gets 404 (the endpoints do not exist for them), as do unknown
users.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from fundapp.accounts.roles import Role, roles_of, user_can
from grants.models import BoardRole
from grants.selectors.people import (
    get_person_for,
    get_staff_invitation_for,
    pending_staff_invitations,
)
from grants.services.people import (
    STAFF_ROLES,
    staff_invite,
    user_deactivate,
    user_reactivate,
    user_roles_set,
)

from .common import CONFLICT, NOT_FOUND, id_field

STAFF_ROLE_CHOICES = [(r.value, r.label) for r in Role if r in STAFF_ROLES]


class ManagesPeople(BasePermission):
    """The secretariat; for any other signed-in user the endpoint is not there (404);
    without credentials, 401 as everywhere."""

    def has_permission(self, request, view) -> bool:
        if not request.user.is_authenticated:
            return False
        if not user_can(request.user, "user.list"):
            raise NotFound()
        return True


# --- serializers -------------------------------------------------------------------------


class StaffInvitationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    email = serializers.EmailField(max_length=254)
    roles = serializers.ListField(child=serializers.ChoiceField(choices=STAFF_ROLE_CHOICES),
                                  min_length=1, max_length=len(STAFF_ROLES))
    donor = id_field(required=False, allow_null=True, write_only=True,
                     help_text=_("The donor record of donor staff."))
    expertise = serializers.CharField(required=False, allow_blank=True, max_length=1500,
                                      write_only=True)
    languages = serializers.CharField(required=False, allow_blank=True, max_length=200,
                                      write_only=True)
    is_external = serializers.BooleanField(required=False, default=True, write_only=True)
    term_start = serializers.DateField(required=False, allow_null=True, write_only=True,
                                       help_text=_("Board members: first day of the term."))
    term_end = serializers.DateField(required=False, allow_null=True, write_only=True)
    board_role = serializers.ChoiceField(choices=BoardRole.choices, required=False,
                                         write_only=True)
    details = serializers.JSONField(read_only=True)
    invited_by = serializers.CharField(source="invited_by.username", read_only=True,
                                       allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    expires_at = serializers.DateTimeField(read_only=True)

    def details_of(self) -> dict:
        data = self.validated_data
        details = {k: data[k] for k in ("donor", "expertise", "languages", "is_external",
                                        "board_role") if k in data}
        for name in ("term_start", "term_end"):
            if data.get(name):
                details[name] = data[name].isoformat()
        return details


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class RolesSerializer(serializers.Serializer):
    roles = serializers.ListField(child=serializers.ChoiceField(choices=STAFF_ROLE_CHOICES),
                                  max_length=len(STAFF_ROLES))


class UserAccessSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    is_active = serializers.BooleanField()
    roles = serializers.SerializerMethodField()

    def get_roles(self, user) -> list[str]:
        return sorted(roles_of(user))


# --- views -------------------------------------------------------------------------------


class StaffInvitationViewSet(mixins.ListModelMixin, mixins.CreateModelMixin,
                             mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """Invitations to the fund's staff: reviewers, Board members, donor staff, secretariat.
    The list holds the pending ones; DELETE revokes."""

    serializer_class = StaffInvitationSerializer
    permission_classes = [ManagesPeople]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return pending_staff_invitations(self.request.user)

    def get_object(self):
        return get_staff_invitation_for(self.request.user, self.kwargs["pk"])

    @extend_schema(responses={201: StaffInvitationSerializer, 404: NOT_FOUND})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invitation = staff_invite(actor=request.user, email=serializer.validated_data["email"],
                                  roles=serializer.validated_data["roles"],
                                  details=serializer.details_of())
        return Response(StaffInvitationSerializer(invitation).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None, 404: NOT_FOUND, 409: CONFLICT})
    def destroy(self, request, *args, **kwargs):
        from grants.services.invitations import invitation_revoke

        invitation_revoke(actor=request.user, invitation=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class UserAccessViewSet(viewsets.GenericViewSet):
    """Deactivate or reactivate an account (with a reason), or set its staff roles."""

    permission_classes = [ManagesPeople]
    serializer_class = UserAccessSerializer
    lookup_value_regex = r"\d+"

    def get_object(self):
        return get_person_for(self.request.user, self.kwargs["pk"])

    def _reason_step(self, request, service):
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = service(actor=request.user, user=self.get_object(),
                       reason=body.validated_data["reason"])
        return Response(UserAccessSerializer(user).data)

    @extend_schema(request=ReasonSerializer,
                   responses={200: UserAccessSerializer, 404: NOT_FOUND, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        """The account's sessions end and its tokens stop working; it cannot sign in."""
        return self._reason_step(request, user_deactivate)

    @extend_schema(request=ReasonSerializer,
                   responses={200: UserAccessSerializer, 404: NOT_FOUND, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def reactivate(self, request, pk=None):
        return self._reason_step(request, user_reactivate)

    @extend_schema(request=RolesSerializer,
                   responses={200: UserAccessSerializer, 404: NOT_FOUND, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def roles(self, request, pk=None):
        """Set the staff roles (secretariat, reviewer, board, donor) of the account."""
        body = RolesSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = user_roles_set(actor=request.user, user=self.get_object(),
                              roles=body.validated_data["roles"])
        return Response(UserAccessSerializer(user).data)
