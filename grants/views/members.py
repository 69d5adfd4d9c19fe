"""An organisation's members page (roles, pending invitations, last sign-in; the admins'
invite, role and remove forms; everyone's "leave"), and the invitation link's landing page.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from fundapp.accounts.roles import role_labels
from fundapp.core.errors import FundError, NotFound
from fundapp.core.exports import export_response, requested_format
from fundapp.core.forms import apply_errors
from fundapp.core.throttling import web_allowed
from grants.confirmations import confirm
from grants.exports import invitation_columns, member_columns
from grants.forms.members import AcceptForm, InviteForm, MemberRoleForm
from grants.models import Membership, OrgRole
from grants.selectors.organisations import (
    get_invitation_for,
    get_member_for,
    members_of,
    org_can,
    organisation_of,
    pending_invitations_of,
)
from grants.services.invitations import (
    invitation_accept,
    invitation_create,
    invitation_for_token,
    invitation_revoke,
)
from grants.services.members import member_change_role, member_remove


def _my_organisation(request):
    org = organisation_of(request.user)
    if org is None:
        raise Http404
    return org


def _page(request, org, *, invite_form=None, status=200):
    can_manage = org_can(request.user, org, "members.manage")
    members = list(members_of(org))
    admins = [m for m in members if m.role == OrgRole.ADMIN and m.user.is_active]
    return render(request, "grants/organisations/members.html", {
        "org": org, "members": members, "can_manage": can_manage,
        # the organisation always keeps an admin: its last one is told, not offered to leave
        "last_admin": [m.user_id for m in admins] == [request.user.pk],
        "invitations": list(pending_invitations_of(org)) if can_manage else [],
        "invite_form": invite_form or (InviteForm() if can_manage else None),
        "role_form": MemberRoleForm(), "me": request.user,
        "ttl_days": settings.INVITATION_TTL_DAYS,
    }, status=status)


@login_required
def members_page(request):
    """The page, or its lists' files: ``?format=csv|xlsx`` the members (every member may),
    ``?list=invitations&format=…`` the pending invitations (admins only, as on the page)."""
    org = _my_organisation(request)
    if requested_format(request):
        if request.GET.get("list") == "invitations":
            if not org_can(request.user, org, "members.manage"):
                raise Http404
            return export_response(request, pending_invitations_of(org),
                                   invitation_columns(), f"invitations {org.name}")
        return export_response(request, members_of(org), member_columns(),
                               f"members {org.name}")
    return _page(request, org)


@login_required
@require_POST
def member_invite(request):
    org = _my_organisation(request)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            invitation, _token = invitation_create(
                actor=request.user, organisation=org, email=form.cleaned_data["email"],
                role=form.cleaned_data["role"])
        except FundError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("An invitation is on its way to %(email)s.")
                             % {"email": invitation.email})
            return redirect("grants:members")
    return _page(request, org, invite_form=form, status=400)


def _run(request, action, success: str):
    try:
        action()
    except FundError as exc:
        messages.error(request, str(exc.message))
        return False
    messages.success(request, success)
    return True


@login_required
@require_POST
def member_role(request, pk: int):
    org = _my_organisation(request)
    membership = get_member_for(request.user, org, pk)
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose admin, editor or viewer."))
    else:
        _run(request, lambda: member_change_role(actor=request.user, membership=membership,
                                                 role=form.cleaned_data["role"]),
             _("%(name)s's role is changed.") % {"name": membership.user.display_name})
    return redirect("grants:members")


@login_required
@require_POST
@confirm("member-remove")
def member_remove_view(request, pk: int):
    org = _my_organisation(request)
    membership = get_member_for(request.user, org, pk)
    _run(request, lambda: member_remove(actor=request.user, membership=membership),
         _("%(name)s is no longer a member.") % {"name": membership.user.display_name})
    return redirect("grants:members")


@login_required
@require_POST
@confirm("member-leave")
def member_leave(request):
    org = _my_organisation(request)
    membership = Membership.objects.get(user=request.user, organisation=org)
    if _run(request, lambda: member_remove(actor=request.user, membership=membership),
            _("You have left %(org)s.") % {"org": org.name}):
        return redirect("home")
    return redirect("grants:members")


@login_required
@require_POST
@confirm("invitation-revoke")
def invitation_revoke_view(request, pk: int):
    org = _my_organisation(request)
    invitation = get_invitation_for(request.user, org, pk)
    _run(request, lambda: invitation_revoke(actor=request.user, invitation=invitation),
         _("The invitation to %(email)s is revoked.") % {"email": invitation.email})
    return redirect("grants:members")


@require_http_methods(["GET", "POST"])
def invitation_landing(request, token: str):
    """Anonymous: create an account and join. Signed in: join. Invalid: a friendly 404.
    Posts share the API's "invitation" rate limit, counted before the token is looked up,
    so the page is no way to guess tokens either."""
    if request.method == "POST" and not web_allowed("invitation", request):
        return render(request, "grants/organisations/invitation_invalid.html",
                      {"throttled": True}, status=429)
    try:
        invitation = invitation_for_token(token)
    except NotFound:
        return render(request, "grants/organisations/invitation_invalid.html", status=404)
    signed_in = request.user.is_authenticated
    form = None if signed_in else AcceptForm(request.POST or None)
    if request.method == "POST" and (signed_in or form.is_valid()):
        try:
            user = invitation_accept(
                token=token, user=request.user if signed_in else None,
                username=None if signed_in else form.cleaned_data["username"],
                password=None if signed_in else form.cleaned_data["password"],
                first_name="" if signed_in else form.cleaned_data["first_name"],
                last_name="" if signed_in else form.cleaned_data["last_name"])
        except NotFound:
            return render(request, "grants/organisations/invitation_invalid.html", status=404)
        except FundError as exc:
            if form is None:
                messages.error(request, str(exc.message))
            else:
                apply_errors(form, exc)
        else:
            return _welcome(request, invitation, user, signed_in)
    status = 400 if request.method == "POST" else 200
    return render(request, "grants/organisations/invitation.html", {
        "invitation": invitation, "form": form, "signed_in": signed_in,
        "role_labels": role_labels(invitation.roles),
    }, status=status)


def _welcome(request, invitation, user, signed_in: bool):
    if not signed_in:
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if invitation.organisation_id is None:
        messages.success(request, _("Welcome to FundApp: your account is ready."))
        return redirect("dashboard")  # what awaits the new reviewer, trustee or donor
    messages.success(request, _("Welcome: you are now a member of %(org)s.")
                     % {"org": invitation.organisation.name})
    return redirect("grants:members")
