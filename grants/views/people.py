"""People pages for the secretariat: every user, invitations to the staff, roles,
deactivation and reactivation (no Django admin needed)."""

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from fundapp.accounts.roles import Role, role_labels, roles_of, user_can
from fundapp.core.confirm import confirmation_required
from fundapp.core.decorators import capability_required
from fundapp.core.errors import FundError
from fundapp.core.exports import export_response, requested_format
from fundapp.core.forms import apply_errors
from fundapp.core.listing import Filter, Sort, listing
from grants.forms.people import STATUS_CHOICES, ReasonForm, RolesForm, StaffInviteForm
from grants.models import Organisation
from grants.selectors.people import (
    PersonStatus,
    admin_sanctions_matches,
    donor_choices,
    get_person_for,
    get_staff_invitation_for,
    pending_staff_invitations,
    last_access_step,
    pending_work_of,
    people_list,
    person_sanctions_matches,
)
from grants.services.people import (
    STAFF_ROLES,
    person_sanctions_match_clear,
    staff_invite,
    user_deactivate,
    user_reactivate,
    user_roles_set,
)

from grants.exports import people_columns


DEACTIVATE_WHAT = gettext_lazy(
    "Deactivating signs this person out everywhere and revokes their API tokens; they can "
    "no longer sign in until the account is reactivated. Their pending reviews and votes "
    "are listed for reassignment.")
DEACTIVATE_ACTION = gettext_lazy("Deactivate the account")


def _labels(roles) -> list[str]:
    return role_labels(r for r in sorted(roles) if r in Role.values)


def _organisation_choices() -> list[tuple[int, str]]:
    return list(Organisation.objects.order_by("name", "pk").values_list("pk", "name"))


def _person_search(qs, text):
    return qs.filter(Q(username__icontains=text) | Q(email__icontains=text)
                     | Q(first_name__icontains=text) | Q(last_name__icontains=text))


def _person_status(qs, status):
    if status == PersonStatus.ACTIVE:
        return qs.filter(is_active=True)
    if status == PersonStatus.DEACTIVATED:
        return qs.filter(is_active=False)
    return qs.none()  # invited: the invitations alone


PEOPLE_FILTERS = [
    Filter("q", gettext_lazy("Search"), apply=_person_search),
    Filter("search", gettext_lazy("Search"), apply=_person_search, hidden=True),
    Filter("role", gettext_lazy("Role"), choices=Role.choices, lookup="groups__name"),
    Filter("organisation", gettext_lazy("Organisation"), choices=_organisation_choices,
           lookup="membership__organisation"),
    Filter("status", gettext_lazy("Status"), choices=STATUS_CHOICES[1:], apply=_person_status),
]
PEOPLE_SORTS = [
    Sort("name", gettext_lazy("Name (A–Z)"), ("last_name", "first_name", "username")),
    Sort("-name", gettext_lazy("Name (Z–A)"), ("-last_name", "-first_name", "-username")),
    Sort("-joined", gettext_lazy("Newest accounts first"), "-date_joined"),
    Sort("-login", gettext_lazy("Latest sign-in first"), ("-last_login", "last_name")),
    Sort("username", gettext_lazy("Username"), "username"),
]


@capability_required("user.list")
def people_list_view(request):
    found = listing(request, people_list(request.user), filters=PEOPLE_FILTERS,
                    sorts=PEOPLE_SORTS)
    status = next((a.value for a in found.applied if a.name == "status"), "")
    invitations = list(pending_staff_invitations(request.user)) if status in (
        "", PersonStatus.INVITED) else []
    if requested_format(request):
        return export_response(request, found.queryset, people_columns(
            lambda person: _labels(g.name for g in person.groups.all())), "people")
    page = found.page
    for person in page:
        person.role_labels = _labels(g.name for g in person.groups.all())
    for invitation in invitations:
        invitation.role_labels = _labels(invitation.roles or [])
    return render(request, "grants/people/list.html", {
        "listing": found, "page": page, "invitations": invitations, "status": status,
    })


@capability_required("user.list")
@require_http_methods(["GET", "POST"])
def staff_invite_view(request):
    form = StaffInviteForm(request.POST or None, donors=donor_choices(request.user))
    if request.method == "POST":
        if form.is_valid():
            try:
                staff_invite(actor=request.user, email=form.cleaned_data["email"],
                             roles=form.cleaned_data["roles"], details=form.details())
            except FundError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Invitation sent to %(email)s.")
                                 % {"email": form.cleaned_data["email"]})
                return redirect("grants:people-list")
        return render(request, "grants/people/invite.html", {"form": form}, status=400)
    return render(request, "grants/people/invite.html", {"form": form})


@capability_required("user.list")
@require_POST
def staff_invitation_revoke_view(request, pk: int):
    from grants.services.invitations import invitation_revoke

    invitation = get_staff_invitation_for(request.user, pk)
    try:
        invitation_revoke(actor=request.user, invitation=invitation)
    except FundError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The invitation to %(email)s is revoked.")
                         % {"email": invitation.email})
    return redirect("grants:people-list")


def _person_context(request, person, **forms) -> dict:
    staff_roles = [r for r in roles_of(person) if r in STAFF_ROLES]
    return {
        "person": person, "role_labels": _labels(roles_of(person)),
        "work": pending_work_of(person),
        "access_step": last_access_step(person),
        "matches": person_sanctions_matches(person),
        "admin_matches": list(admin_sanctions_matches(person)),
        "roles_form": forms.get("roles_form") or RolesForm(initial={"roles": staff_roles}),
        "reason_form": forms.get("reason_form") or ReasonForm(),
        "is_self": person.pk == request.user.pk,
        "can_clear": user_can(request.user, "application.screen"),
        "deactivate_what": DEACTIVATE_WHAT, "deactivate_action": DEACTIVATE_ACTION,
    }


@capability_required("user.list")
def person_detail(request, pk: int):
    person = get_person_for(request.user, pk)
    return render(request, "grants/people/detail.html", _person_context(request, person))


@capability_required("user.list")
@require_POST
def person_roles_view(request, pk: int):
    person = get_person_for(request.user, pk)
    form = RolesForm(request.POST)
    if form.is_valid():
        try:
            user_roles_set(actor=request.user, user=person, roles=form.cleaned_data["roles"])
        except FundError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Roles of %(name)s saved.")
                             % {"name": person.display_name})
            return redirect("grants:person-detail", pk=person.pk)
    return render(request, "grants/people/detail.html",
                  _person_context(request, person, roles_form=form), status=400)


def _reason_step(request, pk: int, service, done: str):
    person = get_person_for(request.user, pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            service(actor=request.user, user=person, reason=form.cleaned_data["reason"])
        except FundError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, done % {"name": person.display_name})
            return redirect("grants:person-detail", pk=person.pk)
    return render(request, "grants/people/detail.html",
                  _person_context(request, person, reason_form=form), status=400)


@capability_required("user.list")
@require_POST
@confirmation_required(DEACTIVATE_WHAT, DEACTIVATE_ACTION)
def person_deactivate_view(request, pk: int):
    return _reason_step(request, pk, user_deactivate, _("%(name)s is deactivated."))


@capability_required("user.list")
@require_POST
def person_reactivate_view(request, pk: int):
    return _reason_step(request, pk, user_reactivate, _("%(name)s can sign in again."))


@capability_required("user.list")
@require_POST
def person_sanctions_clear_view(request, pk: int):
    person = get_person_for(request.user, pk)
    try:
        person_sanctions_match_clear(
            actor=request.user, person=person, reason=request.POST.get("reason", ""),
            entry_reference=request.POST.get("entry_reference", ""),
            matched_name=request.POST.get("matched_name", ""))
    except FundError as exc:
        messages.error(request, " ".join(str(m) for ms in (exc.field_errors or {}).values()
                                         for m in ms) or str(exc.message))
    else:
        messages.success(request, _("The possible match is cleared."))
    return redirect("grants:person-detail", pk=person.pk)
