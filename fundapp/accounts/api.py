from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.response import Response
from rest_framework.views import APIView

from fundapp.core.api import capability
from fundapp.core.throttling import AnonRateThrottle

from .models import User
from .roles import Role
from .selectors import users_list


class TokenThrottle(AnonRateThrottle):
    scope = "token"


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()


class ObtainTokenView(APIView):
    """Exchange a username and password for an API token."""

    authentication_classes: list = []
    permission_classes: list = []
    throttle_classes = [TokenThrottle]

    @extend_schema(request=AuthTokenSerializer, responses=TokenResponseSerializer)
    def post(self, request):
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        token, _created = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key}, status=status.HTTP_200_OK)


class UserSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "email", "roles"]

    def get_roles(self, user) -> list[str]:
        return sorted(g.name for g in user.groups.all() if g.name in Role.values)


class UserListView(generics.ListAPIView):
    """Users with their roles (`?role=reviewer`), to pick reviewers and board members."""

    serializer_class = UserSerializer
    permission_classes = [capability("user.list")]
    filterset_fields: list = []

    def get_queryset(self):
        return users_list(role=self.request.query_params.get("role"))
