from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from fundapp.accounts.roles import Role, roles_of
from grants.selectors.calls import open_calls


def home(request):
    return render(request, "home.html", {"open_calls": open_calls()})


START_PAGES = {
    Role.NGO: "grants:my-applications",
    Role.SECRETARIAT: "grants:application-list",
    Role.REVIEWER: "grants:my-reviews",
    Role.DONOR: "donors:portal",
}


@login_required
def dashboard(request):
    """Send each person to the page they start from; several roles get a choice."""
    roles = roles_of(request.user)
    if len(roles) == 1:
        start = START_PAGES.get(next(iter(roles)))
        if start:
            return redirect(start)
    return render(request, "dashboard.html", {"roles": roles})
