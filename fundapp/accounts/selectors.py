from django.db.models import QuerySet

from .models import ApiToken, User, UserSession


def users_with_role(role: str) -> QuerySet[User]:
    return User.objects.filter(is_active=True, groups__name=role).distinct()


def users_list(*, role: str | None = None) -> QuerySet[User]:
    qs = User.objects.filter(is_active=True).prefetch_related("groups").order_by("username")
    if role:
        qs = qs.filter(groups__name=role).distinct()
    return qs


def email_in_use(email: str, *, exclude: User | None = None) -> bool:
    """Whether another account has ``email`` (any case). Blank addresses never clash."""
    if not email or not email.strip():
        return False
    qs = User.objects.filter(email__iexact=email.strip())
    if exclude is not None and exclude.pk:
        qs = qs.exclude(pk=exclude.pk)
    return qs.exists()


def users_for_password_reset(email: str) -> QuerySet[User]:
    """Active accounts of ``email`` that have a password (any case)."""
    if not email or not email.strip():
        return User.objects.none()
    return User.objects.filter(email__iexact=email.strip(), is_active=True).exclude(
        password__startswith="!")


def sessions_of(user: User) -> QuerySet[UserSession]:
    return UserSession.objects.filter(user=user).order_by("-last_seen_at")


def tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")
