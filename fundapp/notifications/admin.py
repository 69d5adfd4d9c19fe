from django.contrib import admin

from .models import Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: resending goes through the secretariat's delivery page (audited)."""

    list_display = ["id", "kind", "recipient", "state", "email_status", "attempts",
                    "created_at", "sent_at", "read_at"]
    list_filter = ["state", "email_status", "kind"]
    search_fields = ["recipient__username", "recipient__email", "kind", "dedupe_key"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "email_mode", "muted_kinds", "updated_at"]
    list_select_related = ["user"]
    search_fields = ["user__username"]
