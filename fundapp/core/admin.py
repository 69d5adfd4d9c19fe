"""The audit trail, idempotency claims and background jobs in the Django admin: read-only,
searchable, never edited."""

import json

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent, IdempotencyKey, Job

admin.site.site_header = _("FundApp administration")
admin.site.site_title = _("FundApp admin")
admin.site.index_title = _("Staff support")


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "actor", "verb", "target_type", "target_id", "target_repr")
    list_filter = ("verb", ("target_type", admin.RelatedOnlyFieldListFilter))
    search_fields = ("verb", "target_repr", "=target_id", "actor__username", "note")
    list_select_related = ("actor", "target_type")
    date_hierarchy = "created_at"
    fields = ("created_at", "actor", "verb", "target_type", "target_id", "target_repr",
              "before_pretty", "after_pretty", "note")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("before"))
    def before_pretty(self, obj: AuditEvent) -> str:
        return _pretty(obj.before)

    @admin.display(description=_("after"))
    def after_pretty(self, obj: AuditEvent) -> str:
        return _pretty(obj.after)


def _pretty(data: dict) -> str:
    if not data:
        return "—"
    return format_html("<pre>{}</pre>", json.dumps(data, indent=2, ensure_ascii=False))


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(admin.ModelAdmin):
    """Claims of money-recording requests, to see why a retry was replayed (read-only)."""

    list_display = ("created_at", "user", "key", "status_code")
    search_fields = ("=key", "user__username")
    list_select_related = ("user",)
    fields = ("created_at", "user", "key", "fingerprint", "status_code", "response")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Background exports and imports, to see whose job is stuck or failed and why
    (read-only: a job is only ever changed by its worker)."""

    list_display = ("created_at", "kind", "label", "requester", "status", "progress")
    list_filter = ("kind", "status")
    search_fields = ("requester__username", "requester__email", "label")
    list_select_related = ("requester",)
    date_hierarchy = "created_at"
    fields = ("created_at", "kind", "handler", "label", "requester", "language", "status",
              "rows_done", "rows_total", "path", "query_string", "file_format", "file_name",
              "attempts", "started_at", "finished_at", "expires_at", "error")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("rows done / rows in all"))
    def progress(self, obj: Job) -> str:
        return f"{obj.rows_done} / {obj.rows_total}"
