from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from fundapp.core.decorators import capability_required
from fundapp.accounts.display import person_name
from fundapp.core.errors import FundError
from fundapp.core.exports import DATETIME, NUMBER, Column, export_response, requested_format
from fundapp.core.forms import apply_errors
from fundapp.core.listing import Filter, Sort, listing

from . import selectors, services
from .forms import PreferencesForm
from .kinds import KINDS
from .models import DeliveryState
from .rendering import render_notification

PAGE_SIZE = 25


def _rendered(notifications) -> list[tuple]:
    language = translation.get_language()
    return [(n, render_notification(n, language)) for n in notifications]


CENTRE_COLUMNS = [
    Column(gettext_lazy("Received"), "created_at", DATETIME),
    Column(gettext_lazy("Kind"), "kind"),
    Column(gettext_lazy("Subject"), lambda n: render_notification(
        n, translation.get_language()).subject),
    Column(gettext_lazy("Read"), "read_at", DATETIME),
]
MONITOR_COLUMNS = [
    Column(gettext_lazy("Id"), "pk", NUMBER),
    Column(gettext_lazy("Created"), "created_at", DATETIME),
    Column(gettext_lazy("Recipient"), lambda n: person_name(n.recipient)),
    Column(gettext_lazy("E-mail"), "recipient.email"),
    Column(gettext_lazy("Kind"), "kind"),
    Column(gettext_lazy("State"), "get_state_display"),
    Column(gettext_lazy("E-mail status"), "get_email_status_display"),
    Column(gettext_lazy("Attempts"), "attempts", NUMBER),
    Column(gettext_lazy("Sent"), "sent_at", DATETIME),
    Column(gettext_lazy("Last error"), "last_error"),
]


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return fallback


@login_required
def centre(request):
    unread_only = request.GET.get("unread") == "1"
    qs = selectors.notifications_for(request.user, unread_only=unread_only)
    if requested_format(request):
        return export_response(request, qs, CENTRE_COLUMNS, "notifications")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/centre.html", {
        "page": page, "items": _rendered(page.object_list), "unread_only": unread_only,
    })


@login_required
@require_POST
def mark_read(request, pk: int):
    n = selectors.get_notification_for(request.user, pk)
    services.notification_mark_read(actor=request.user, notification=n)
    if request.htmx:
        return render(request, "notifications/partials/item_read.html", {
            "n": n, "r": render_notification(n, translation.get_language()),
            "unread_notifications": selectors.unread_count(request.user),
        })
    return redirect(_safe_next(request, "notifications:centre"))


@login_required
@require_POST
def mark_all_read(request):
    count = services.notifications_mark_all_read(actor=request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:centre")


@login_required
def open_notification(request, pk: int):
    """Follow a notification to what it concerns; opening it marks it read."""
    n = selectors.get_notification_for(request.user, pk)
    services.notification_mark_read(actor=request.user, notification=n)
    target = n.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:centre")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    preference = selectors.preference_for(request.user)
    form = PreferencesForm(request.POST or None, preference=preference)
    if request.method == "POST" and form.is_valid():
        try:
            services.notification_preferences_update(
                actor=request.user, email_mode=form.cleaned_data["email_mode"],
                muted_kinds=form.muted_kinds())
        except FundError as exc:
            apply_errors(form, exc, prefix_map={"muted_kinds": "wanted"})
        else:
            messages.success(request, _("Your notification preferences are saved."))
            return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


def _state_choices():
    return [*DeliveryState.choices, ("retrying", _("Pending, retrying after an error"))]


def _kind_choices():
    return sorted(((name, f"{k.label} ({name})") for name, k in KINDS.items()),
                  key=lambda choice: choice[0])


MONITOR_FILTERS = [
    Filter("status", gettext_lazy("State"), choices=_state_choices,
           apply=selectors.in_delivery_state),
    Filter("kind", gettext_lazy("Kind"), choices=_kind_choices),
    Filter("recipient", gettext_lazy("Recipient (user name or e-mail)"),
           apply=lambda qs, text: qs.filter(
               Q(recipient__username__iexact=text) | Q(recipient__email__iexact=text)
               | Q(email__iexact=text))),
    # the old links said ?state=failed: still understood, shown as applied
    Filter("state", gettext_lazy("State"), choices=_state_choices, hidden=True,
           apply=selectors.in_delivery_state),
]
MONITOR_SORTS = [
    Sort("newest", gettext_lazy("Newest first"), ("-created_at", "-id")),
    Sort("oldest", gettext_lazy("Oldest first"), ("created_at", "id")),
    Sort("attempts", gettext_lazy("Most attempts first"), ("-attempts", "-created_at")),
]


@capability_required("notification.monitor")
def monitor(request):
    found = listing(request, selectors.notifications_monitor(), filters=MONITOR_FILTERS,
                    sorts=MONITOR_SORTS)
    if requested_format(request):
        return export_response(request, found.queryset, MONITOR_COLUMNS, "deliveries")
    counts = selectors.delivery_counts()
    return render(request, "notifications/monitor.html", {
        "page": found.page, "listing": found,
        "counts": [(code, label, counts[code]) for code, label in DeliveryState.choices],
    })


@capability_required("notification.monitor")
@require_POST
def resend(request, pk: int):
    n = selectors.get_notification_for_monitor(pk)
    try:
        services.notification_resend(actor=request.user, notification=n)
    except FundError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Notification %(id)s is queued to be sent again.")
                         % {"id": n.pk})
    return redirect(_safe_next(request, "notifications:monitor"))
