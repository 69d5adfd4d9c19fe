"""Pages anyone may read: the transparency page, and the entry point for signed-in people."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from donors.reporting import report
from fundapp.accounts.roles import user_can

from .common import year_param


@require_GET
def transparency(request):
    """The fund's income and where it went, for everyone (no login)."""
    return render(request, "donors/transparency.html", report(year_param(request)))


@require_GET
def home(request):
    """"Contributions" in the menu: the secretariat's list, or the donor's portal."""
    user = request.user
    if not user.is_authenticated:
        return redirect("donors:transparency")
    if user_can(user, "donor.manage"):
        return redirect("donors:contribution-list")
    if user_can(user, "donor.portal"):
        return redirect("donors:portal")
    if user_can(user, "report.view_internal"):
        return redirect("donors:reports")
    raise PermissionDenied
