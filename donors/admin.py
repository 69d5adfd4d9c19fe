"""The Django admin for donors: staff support, read-only.

Donors, pledges, contributions, rates and targets change only through the services (which
check the rules, number receipts and write the audit trail), from the secretariat's pages or
the API. The admin shows, searches and filters the data and the targets' history.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from donors.models import (
    AnnualTarget,
    Contribution,
    ContributionImport,
    Donor,
    ExchangeRate,
    Pledge,
    TargetMilestone,
)


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Donor)
class DonorAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("name", "donor_type", "country", "anonymous", "language")
    list_filter = ("donor_type", "anonymous", "language")
    search_fields = ("name", "contact_name", "contact_email")
    filter_horizontal = ("users",)


@admin.register(Pledge)
class PledgeAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("donor", "amount", "currency", "year_from", "year_to", "pledged_on",
                    "status", "paid_amount")
    list_filter = ("status", "currency", "year_from")
    search_fields = ("donor__name",)
    list_select_related = ("donor",)


@admin.register(Contribution)
class ContributionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("receipt_number", "received_on", "donor", "amount", "currency",
                    "exchange_rate", "amount_usd", "bank_reference")
    list_filter = ("currency", "earmarking", "donor__donor_type")
    search_fields = ("receipt_number", "bank_reference", "donor__name")
    date_hierarchy = "received_on"
    list_select_related = ("donor",)
    raw_id_fields = ("donor", "pledge", "import_batch")


@admin.register(ExchangeRate)
class ExchangeRateAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("currency", "valid_on", "rate", "source")
    list_filter = ("currency",)


@admin.register(AnnualTarget)
class AnnualTargetAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ("year", "amount_usd", "updated_at", "updated_by")


@admin.register(TargetMilestone)
class TargetMilestoneAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("year", "percent", "received_usd", "target_usd", "reached_at")


@admin.register(ContributionImport)
class ContributionImportAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("file_name", "status", "rows", "imported", "skipped", "total_usd",
                    "uploaded_by", "created_at")
    list_filter = ("status",)
