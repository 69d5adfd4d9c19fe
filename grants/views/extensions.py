"""Deadline extensions: the secretariat's list and form on a call, the form on an
application, and revoking one."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from fundapp.accounts.roles import user_can
from fundapp.core.decorators import capability_required
from fundapp.core.forms import form_status, form_submit, run_action
from grants.forms.extensions import ExtensionForm, OrganisationExtensionForm
from grants.selectors.applications import get_application_for
from grants.selectors.calls import get_call_for
from grants.models import ApplicationStatus
from grants.selectors.extensions import (
    EXTENDABLE_CALL_STATUSES,
    active_extension,
    call_extensions,
    get_extension_for,
    submission_deadline,
    with_deadlines,
)
from grants.selectors.organisations import organisations_visible_to
from grants.services.extensions import deadline_extend, deadline_extension_revoke


def _tz_name() -> str:
    return timezone.get_current_timezone_name()


@capability_required("call.manage")
@require_http_methods(["GET", "POST"])
def call_extensions_view(request, pk: int):
    call = get_call_for(request.user, pk)
    form = OrganisationExtensionForm(
        request.POST or None, tz_name=_tz_name(),
        organisations=organisations_visible_to(request.user).order_by("name"))
    if done := form_submit(request, form, lambda data: deadline_extend(
            actor=request.user, call=call, **data)):
        messages.success(request, _("%(org)s may submit on call no. %(n)s until the new "
                                    "deadline.") % {"org": done.result.organisation.name,
                                                    "n": call.number})
        return redirect("grants:call-extensions", pk=call.pk)
    return render(request, "grants/extensions/call_extensions.html", {
        "call": call, "form": form,
        "extensions": call_extensions(call, include_revoked=True),
    }, status=form_status(form))


@capability_required("call.manage")
@require_http_methods(["GET", "POST"])
def application_extend_view(request, pk: int):
    app = get_application_for(request.user, pk)
    form = ExtensionForm(request.POST or None, tz_name=_tz_name())
    if form_submit(request, form, lambda data: deadline_extend(
            actor=request.user, call=app.call, application=app, **data)):
        messages.success(request, _("The deadline of this application is extended."))
        return redirect("grants:application-detail", pk=app.pk)
    return render(request, "grants/extensions/application_extend.html", {
        "app": app, "call": app.call, "form": form, "current": active_extension(app),
    }, status=form_status(form))


@capability_required("call.manage")
@require_POST
def extension_revoke_view(request, pk: int):
    extension = get_extension_for(request.user, pk)
    run_action(request, lambda: deadline_extension_revoke(actor=request.user,
                                                          extension=extension),
               success=_("The extension is revoked: the call's own deadline applies again."))
    return redirect(reverse("grants:call-extensions", args=[extension.call_id]))


# ---------------------------------------------------------------- what other pages show


def with_page_deadlines(page):
    """Each application of a list page with its own deadline (``deadline``, ``extended``)."""
    page.object_list = with_deadlines(page.object_list)
    return page


def deadline_context(request, app) -> dict:
    """An application page's deadline, and the secretariat's extension form on a draft."""
    if app.status != ApplicationStatus.DRAFT:
        return {}
    deadline = submission_deadline(app)
    context = {"deadline": deadline, "extended": deadline != app.call.closes_at}
    if user_can(request.user, "call.manage") and app.call.status in EXTENDABLE_CALL_STATUSES:
        context["extend_form"] = ExtensionForm(tz_name=_tz_name())
    return context
