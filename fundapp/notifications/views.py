from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
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

from . import selectors, services
from .forms import MonitorFilterForm, PreferencesForm
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


@capability_required("notification.monitor")
def monitor(request):
    form = MonitorFilterForm(request.GET or None)
    qs = selectors.notifications_monitor(**form.filters())
    if requested_format(request):
        return export_response(request, qs, MONITOR_COLUMNS, "deliveries")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    counts = selectors.delivery_counts()
    return render(request, "notifications/monitor.html", {
        "page": page, "form": form,
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
