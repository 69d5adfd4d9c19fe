"""User support in the Django admin: accounts, roles (groups), language and time zone.

Changes to what a person may do (roles, active, staff, superuser) are written to the
audit trail, like every other access change in FundApp.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from fundapp.accounts.roles import Role
from fundapp.core.audit import audit_record

from .models import ApiToken, User, UserSession

ACCESS_FLAGS = ("is_active", "is_staff", "is_superuser")


def _access_of(user: User) -> dict:
    return {flag: getattr(user, flag) for flag in ACCESS_FLAGS} | {
        "roles": sorted(user.groups.values_list("name", flat=True))}


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "roles", "language",
                    "timezone", "email_verified", "is_active", "is_staff", "last_login")
    list_filter = ("groups", "language", "email_verified", "is_active", "is_staff",
                   "is_superuser")
    search_fields = ("username", "email", "first_name", "last_name")
    list_select_related = ()  # no foreign keys; the roles column is prefetched
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email",
                                         "email_verified")}),
        (_("Preferences"), {"fields": ("language", "timezone")}),
        (_("Roles and access"), {
            "fields": ("is_active", "groups", "is_staff", "is_superuser", "user_permissions"),
            "description": _("Roles are groups: secretariat, reviewer, board, ngo, donor. "
                             "A person may hold several."),
        }),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",),
                "fields": ("username", "email", "language", "password1", "password2")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(
            Prefetch("groups", queryset=Group.objects.order_by("name")))

    @admin.display(description=_("roles"))
    def roles(self, obj: User) -> str:
        labels = [str(Role(g.name).label) if g.name in Role.values else g.name
                  for g in obj.groups.all()]
        return ", ".join(labels) or "—"

    def save_model(self, request, obj, form, change):
        if change:
            obj._access_before = _access_of(User.objects.get(pk=obj.pk))
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        before = getattr(user, "_access_before", {})
        after = _access_of(user)
        if after != before:
            audit_record(actor=request.user, verb="user.access_change", target=user,
                         before=before, after=after, note="Django admin")


class _ReadOnlyAdmin(admin.ModelAdmin):
    """Support may look and end (delete); rows are only made by signing in."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(UserSession)
class UserSessionAdmin(_ReadOnlyAdmin):
    list_display = ("user", "ip", "user_agent", "created_at", "last_seen_at")
    list_select_related = ("user",)
    search_fields = ("user__username", "ip")
    exclude = ("session_key",)


@admin.register(ApiToken)
class ApiTokenAdmin(_ReadOnlyAdmin):
    list_display = ("prefix", "user", "name", "created_at", "last_used_at", "expires_at")
    list_select_related = ("user",)
    search_fields = ("user__username", "prefix", "name")
    exclude = ("key_hash",)
