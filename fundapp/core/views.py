from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from fundapp.accounts.roles import Role, roles_of
from grants.selectors.calls import open_calls


def home(request):
    return render(request, "home.html", {"open_calls": open_calls()})


@login_required
def dashboard(request):
    """Send each person to the page they start from; several roles get a choice."""
    roles = roles_of(request.user)
    if roles == {Role.NGO}:
        return redirect("grants:my-applications")
    if roles == {Role.SECRETARIAT}:
        return redirect("grants:application-list")
    return render(request, "dashboard.html", {"roles": roles})
