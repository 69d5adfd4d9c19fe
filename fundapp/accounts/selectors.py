from django.db.models import QuerySet

from .models import User


def users_with_role(role: str) -> QuerySet[User]:
    return User.objects.filter(is_active=True, groups__name=role).distinct()


def users_list(*, role: str | None = None) -> QuerySet[User]:
    qs = User.objects.filter(is_active=True).prefetch_related("groups").order_by("username")
    if role:
        qs = qs.filter(groups__name=role).distinct()
    return qs
