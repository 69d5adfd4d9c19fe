"""Organisations: an NGO's own profile, and the secretariat's list and verification."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from fundapp.core.decorators import capability_required
from fundapp.core.exports import export_response, requested_format
from fundapp.core.forms import form_submit
from fundapp.core.listing import Filter, Sort, listing
from grants.forms import OrganisationForm, VerifyForm
from grants.models import OrganisationStatus
from grants.models.organisations import VERIFICATION_CHECKS
from grants.selectors.organisations import (
    get_organisation_for,
    members_of,
    org_can,
    organisation_of,
    organisations_visible_to,
)
from grants.services.organisations import organisation_update, organisation_verify

from grants.exports import organisation_columns



def _checklist(org) -> list[tuple[str, bool]]:
    done = org.verification_checklist or {}
    return [(label, bool(done.get(key))) for key, label in VERIFICATION_CHECKS.items()]


@capability_required("organisation.register")
def my_organisation(request):
    org = organisation_of(request.user)
    return render(request, "grants/organisation_mine.html", {
        "org": org, "checklist": _checklist(org) if org else [],
        "can_edit": org is not None and org_can(request.user, org, "members.manage"),
    })


@capability_required("organisation.register")
@require_http_methods(["GET", "POST"])
def my_organisation_edit(request):
    org = organisation_of(request.user)
    if org is None:
        raise Http404
    if not org_can(request.user, org, "members.manage"):  # the profile is the admins'
        raise PermissionDenied
    form = OrganisationForm(request.POST or None, initial=OrganisationForm.initial_from(org))
    if request.method == "POST":
        if done := form_submit(request, form, lambda _data: organisation_update(
                actor=request.user, organisation=org, values=form.values())):
            _after_update_message(request, org, done.result)
            return redirect("grants:my-organisation")
        return render(request, "grants/organisation_form.html", {"form": form, "org": org},
                      status=400)
    return render(request, "grants/organisation_form.html", {"form": form, "org": org})


def _after_update_message(request, before, after) -> None:
    if before.status == OrganisationStatus.VERIFIED and after.status != before.status:
        messages.warning(request, _("Your organisation's details are saved. Because its name, "
                                    "country or registration number changed, the secretariat "
                                    "will verify it again."))
    else:
        messages.success(request, _("Your organisation's details are saved."))


def _org_search(qs, text):
    return qs.filter(Q(name__icontains=text) | Q(registration_number__icontains=text))


ORGANISATION_FILTERS = [
    Filter("status", gettext_lazy("Status"), choices=OrganisationStatus.choices),
    Filter("search", gettext_lazy("Search"), apply=_org_search),
    Filter("q", gettext_lazy("Search"), apply=_org_search, hidden=True),  # older links
]
ORGANISATION_SORTS = [
    Sort("name", gettext_lazy("Name"), "name"),
    Sort("newest", gettext_lazy("Newest first"), "-created_at"),
    Sort("oldest", gettext_lazy("Oldest first"), "created_at"),
    Sort("country", gettext_lazy("Country"), ("country", "name")),
]


@capability_required("organisation.view_all")
def organisation_list(request):
    """Every organisation (the secretariat), filtered and sorted from the URL; the work
    queue's "organisations to verify" links to ``?status=pending``."""
    found = listing(request, organisations_visible_to(request.user),
                    filters=ORGANISATION_FILTERS, sorts=ORGANISATION_SORTS)
    if requested_format(request):
        return export_response(request, found.queryset, organisation_columns(), "organisations")
    return render(request, "grants/organisation_list.html", {
        "listing": found, "page": found.page,
    })


@capability_required("organisation.verify")
@require_http_methods(["GET", "POST"])
def organisation_verify_view(request, pk: int):
    org = get_organisation_for(request.user, pk)
    initial = {f"check_{k}": v for k, v in (org.verification_checklist or {}).items()}
    form = VerifyForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form_submit(request, form, lambda data: organisation_verify(
                actor=request.user, organisation=org, approve=data["decision"] == "approve",
                checklist=form.checklist(), reason=data["reasons"])):
            approve = form.cleaned_data["decision"] == "approve"
            messages.success(request, (_("%(name)s is verified.") if approve else
                                       _("%(name)s is rejected; its users are told why."))
                             % {"name": org.name})
            return redirect("grants:organisation-list")
    return render(request, "grants/organisation_verify.html", {
        "org": org, "form": form, "checklist": _checklist(org),
        "members": list(members_of(org)),
    }, status=status)
