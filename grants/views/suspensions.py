"""The grant page's suspension, resumption and termination forms (the secretariat).

The forms live on the grant's implementation page (``grants.views.implementation``); a
refused or invalid post shows that page again with the form's errors.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fundapp.accounts.roles import user_can
from fundapp.core.decorators import capability_required
from fundapp.core.forms import form_status, form_submit
from grants.confirmations import confirm
from grants.forms.suspensions import ResumeForm, SuspendForm, TerminateForm
from grants.models import GrantStatus
from grants.selectors.implementation import get_implementation_grant_for
from grants.services import suspensions as svc


def panel(request, grant, forms_: dict) -> dict:
    """The grant page's context for this panel."""
    # Each form has its prefix: the page holds several "reason" fields (unique ids).
    context = {"suspend_form": forms_.get("suspend_form") or SuspendForm(prefix="suspend"),
               "resume_form": forms_.get("resume_form") or ResumeForm(prefix="resume"),
               "terminate_form": forms_.get("terminate_form") or TerminateForm(
                   prefix="terminate")}
    if user_can(request.user, "grant.manage") and grant.status in (GrantStatus.ACTIVE,
                                                                    GrantStatus.SUSPENDED):
        context["termination_figures"] = svc.termination_figures(grant)
    return context


def _step(request, pk, form_class, name, service, success):
    from grants.views.implementation import _page

    grant = get_implementation_grant_for(request.user, pk)
    form = form_class(request.POST, prefix=name.removesuffix("_form"))
    if form_submit(request, form, lambda data: service(actor=request.user, grant=grant,
                                                       reason=data["reason"])):
        messages.success(request, success)
        return redirect("grants:grant-implementation", pk=grant.pk)
    return _page(request, grant, status=form_status(form), **{name: form})


@capability_required("grant.manage")
@require_POST
def grant_suspend_view(request, pk: int):
    return _step(request, pk, SuspendForm, "suspend_form", svc.grant_suspend,
                 _("The grant is suspended; the organisation is notified."))


@capability_required("grant.manage")
@require_POST
def grant_resume_view(request, pk: int):
    return _step(request, pk, ResumeForm, "resume_form", svc.grant_resume,
                 _("The grant is resumed; the organisation is notified."))


@capability_required("grant.manage")
@require_POST
@confirm("grant-terminate")
def grant_terminate_view(request, pk: int):
    return _step(request, pk, TerminateForm, "terminate_form", svc.grant_terminate,
                 _("The grant is terminated; the organisation is notified."))
