"""The Django admin for grants: staff support, read-only.

Calls, organisations and applications change only through the services (which check
the rules and write the audit trail), from the secretariat's pages, the API, or the
admin actions below, which call those same services. The admin shows, searches and
filters the data and its history; it never edits business data by itself.
"""

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from fundapp.core.errors import FundError
from grants.models import (
    AgendaItem,
    AgreementSignature,
    Application,
    ApplicationPriority,
    ApplicationStatus,
    Attachment,
    BankDetails,
    BoardMembership,
    BoardSession,
    BudgetLine,
    Call,
    CallPriority,
    CallStatus,
    ClarificationQuestion,
    Disbursement,
    Grant,
    GrantClosure,
    Membership,
    Organisation,
    ProgressReport,
    ReportDue,
    Tranche,
    Vote,
)
from grants.services.calls import call_close


class ReadOnlyMixin:
    """View only: no add, change or delete (and so no history revert either)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyTabularInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0
    show_change_link = True


# Calls


class CallPriorityInline(ReadOnlyTabularInline):
    model = CallPriority
    fields = ("position", "code", "name_en", "name_fr", "weight")


@admin.register(Call)
class CallAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ("number", "title_en", "effective_status", "opens_at", "closes_at",
                    "envelope_usd", "grant_range", "max_duration_months", "submitted_count",
                    "draft_count")
    list_display_links = ("number", "title_en")
    list_filter = ("status",)
    search_fields = ("=number", "title_en", "title_fr")
    list_select_related = ("created_by",)
    date_hierarchy = "opens_at"
    inlines = [CallPriorityInline]
    actions = ["close_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            submitted_count=Count("applications",
                                  filter=~Q(applications__status=ApplicationStatus.DRAFT)),
            draft_count=Count("applications",
                              filter=Q(applications__status=ApplicationStatus.DRAFT)),
        )

    @admin.display(description=_("status"), ordering="status")
    def effective_status(self, obj: Call) -> str:
        return obj.get_effective_status_display()

    @admin.display(description=_("grant range (USD)"))
    def grant_range(self, obj: Call) -> str:
        return f"{obj.min_grant_usd:,.0f} – {obj.max_grant_usd:,.0f}"

    @admin.display(description=_("submitted"), ordering="submitted_count")
    def submitted_count(self, obj: Call) -> int:
        return obj.submitted_count

    @admin.display(description=_("drafts"), ordering="draft_count")
    def draft_count(self, obj: Call) -> int:
        return obj.draft_count

    @admin.action(description=_("Close the selected open calls (as the call service does)"))
    def close_selected(self, request, queryset):
        closed = 0
        for call in queryset.filter(status=CallStatus.PUBLISHED):
            try:
                call_close(actor=request.user, call=call)
            except FundError as exc:
                self.message_user(request, f"#{call.number}: {exc.message}", messages.ERROR)
            else:
                closed += 1
        self.message_user(request, ngettext("%(n)d call closed.", "%(n)d calls closed.",
                                            closed) % {"n": closed})


@admin.register(CallPriority)
class CallPriorityAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("code", "name_en", "call", "weight", "position")
    list_filter = ("call",)
    search_fields = ("code", "name_en", "name_fr")
    list_select_related = ("call",)


@admin.register(ClarificationQuestion)
class ClarificationQuestionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("short_question", "call", "organisation", "asked_by", "is_published",
                    "created_at")
    list_filter = ("call", ("published_at", admin.EmptyFieldListFilter))
    search_fields = ("question", "answer", "organisation__name", "asked_by__username")
    list_select_related = ("call", "organisation", "asked_by")

    @admin.display(description=_("question"))
    def short_question(self, obj: ClarificationQuestion) -> str:
        return str(obj)

    @admin.display(description=_("published"), boolean=True)
    def is_published(self, obj: ClarificationQuestion) -> bool:
        return obj.is_published


# Organisations


class MembershipInline(ReadOnlyTabularInline):
    model = Membership
    fields = ("user", "role", "created_at")
    readonly_fields = ("created_at",)


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ("name", "country", "registration_number", "status", "verified_at",
                    "verified_by", "member_count", "created_at")
    list_filter = ("status", ("country", admin.AllValuesFieldListFilter), "psea_declaration")
    search_fields = ("name", "registration_number", "contact_email", "un_partner_portal_id")
    list_select_related = ("verified_by",)
    inlines = [MembershipInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("memberships"))

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, obj: Organisation) -> int:
        return obj.member_count


@admin.register(Membership)
class MembershipAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("user", "organisation", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "user__email", "organisation__name")
    list_select_related = ("user", "organisation")


# Applications


class BudgetLineInline(ReadOnlyTabularInline):
    model = BudgetLine
    fields = ("position", "category", "description", "amount")


class ApplicationPriorityInline(ReadOnlyTabularInline):
    model = ApplicationPriority
    fields = ("priority", "justification", "confirmed")


class AttachmentInline(ReadOnlyTabularInline):
    model = Attachment
    fields = ("kind", "original_name", "content_type", "size", "uploaded_by", "uploaded_at")
    readonly_fields = ("uploaded_at",)


@admin.register(Application)
class ApplicationAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ("reference_or_draft", "title", "organisation", "call_number", "status",
                    "requested_usd", "duration_months", "submitted_at")
    list_display_links = ("reference_or_draft", "title")
    list_filter = ("status", "call", ("organisation__country", admin.AllValuesFieldListFilter))
    search_fields = ("=reference", "title", "organisation__name")
    list_select_related = ("call", "organisation")
    date_hierarchy = "created_at"
    inlines = [BudgetLineInline, ApplicationPriorityInline, AttachmentInline]

    @admin.display(description=_("reference"), ordering="reference")
    def reference_or_draft(self, obj: Application) -> str:
        return obj.reference or _("(draft)")

    @admin.display(description=_("call"), ordering="call__number")
    def call_number(self, obj: Application) -> str:
        return f"#{obj.call.number}"


@admin.register(BudgetLine)
class BudgetLineAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("application", "category", "description", "amount")
    list_filter = ("category",)
    search_fields = ("=application__reference", "application__title", "description")
    list_select_related = ("application",)


@admin.register(ApplicationPriority)
class ApplicationPriorityAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("application", "priority", "confirmed")
    list_filter = ("confirmed", "priority__code")
    search_fields = ("=application__reference", "application__title", "priority__code")
    list_select_related = ("application", "priority")


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("original_name", "application", "kind", "content_type", "size",
                    "uploaded_by", "uploaded_at")
    list_filter = ("kind", "content_type")
    search_fields = ("original_name", "=application__reference", "=sha256")
    list_select_related = ("application", "uploaded_by")
    # The stored file is private: it is downloaded through the permission-checked view only.
    exclude = ("file",)


# Board


@admin.register(BoardMembership)
class BoardMembershipAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("user", "role", "term_start", "term_end", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "user__email")
    list_select_related = ("user",)


@admin.register(BoardSession)
class BoardSessionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("id", "call", "kind", "status", "meeting_date", "opens_at", "closes_at",
                    "is_reserve_offer", "approved_total_usd", "closed_at")
    list_filter = ("status", "kind", "is_reserve_offer", "call")
    search_fields = ("=call__number",)
    list_select_related = ("call",)


@admin.register(AgendaItem)
class AgendaItemAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("session_id", "position", "application", "on_reserve", "requested_usd",
                    "decision", "approved_usd")
    list_filter = ("decision", "on_reserve", "session__call")
    search_fields = ("=application__reference", "application__title")
    list_select_related = ("application", "session")


@admin.register(Vote)
class VoteAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("session_id", "item", "member", "vote", "amount_usd", "updated_at")
    list_filter = ("vote", "session__call")
    search_fields = ("member__username", "=item__application__reference")
    list_select_related = ("member", "item__application")


# Grants


class TrancheInline(ReadOnlyTabularInline):
    model = Tranche
    fields = ("position", "percent", "amount_usd", "condition", "report_number",
              "planned_date")


class ReportDueInline(ReadOnlyTabularInline):
    model = ReportDue
    fields = ("kind", "number", "due_date")


@admin.register(Grant)
class GrantAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ("agreement_number", "application", "call", "approved_usd", "status",
                    "start_date", "end_date")
    list_filter = ("status", "call")
    search_fields = ("=agreement_number", "=application__reference", "application__title",
                     "application__organisation__name")
    list_select_related = ("application", "call")
    date_hierarchy = "start_date"
    inlines = [TrancheInline, ReportDueInline]


@admin.register(Tranche)
class TrancheAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("grant", "position", "percent", "amount_usd", "condition",
                    "report_number", "planned_date")
    list_filter = ("condition",)
    search_fields = ("=grant__agreement_number",)
    list_select_related = ("grant",)


@admin.register(ReportDue)
class ReportDueAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("grant", "kind", "number", "due_date")
    list_filter = ("kind",)
    search_fields = ("=grant__agreement_number",)
    list_select_related = ("grant",)
    date_hierarchy = "due_date"


@admin.register(AgreementSignature)
class AgreementSignatureAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("grant", "signatory_name", "signatory_title", "signed_at", "declined_at",
                    "countersigned_by", "countersigned_at")
    list_filter = (("signed_at", admin.EmptyFieldListFilter),
                   ("countersigned_at", admin.EmptyFieldListFilter))
    search_fields = ("=grant__agreement_number", "signatory_name")
    list_select_related = ("grant", "countersigned_by")


@admin.register(BankDetails)
class BankDetailsAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ("grant", "account_holder", "masked_account", "bank_name", "swift",
                    "updated_at", "confirmed_by", "confirmed_at")
    list_filter = (("confirmed_at", admin.EmptyFieldListFilter),)
    search_fields = ("=grant__agreement_number", "account_holder", "bank_name")
    list_select_related = ("grant", "confirmed_by")
    # Never the full account number: the masked form only.
    exclude = ("account_number",)
    readonly_fields = ("masked_account",)

    @admin.display(description=_("IBAN or account number"))
    def masked_account(self, obj: BankDetails) -> str:
        return obj.masked


@admin.register(Disbursement)
class DisbursementAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("reference", "grant", "tranche_position", "paid_on", "amount_usd",
                    "recorded_by", "recorded_at")
    search_fields = ("=reference", "=grant__agreement_number")
    list_select_related = ("grant", "tranche", "recorded_by")
    date_hierarchy = "paid_on"

    @admin.display(description=_("tranche"), ordering="tranche__position")
    def tranche_position(self, obj: Disbursement) -> int:
        return obj.tranche.position


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("grant", "kind", "version", "status", "victims_total", "submitted_at",
                    "reviewed_at")
    list_filter = ("status", "kind")
    search_fields = ("=grant__agreement_number", "achievements")
    list_select_related = ("grant",)


@admin.register(GrantClosure)
class GrantClosureAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("grant", "paid_usd", "spent_usd", "unspent_usd", "treatment",
                    "closed_by", "closed_at")
    list_filter = ("treatment",)
    search_fields = ("=grant__agreement_number",)
    list_select_related = ("grant", "closed_by")
