"""Self-registration of an NGO: its first user and its organisation, pending verification.

It lives here, not in ``fundapp.accounts``, because it creates an organisation; the e-mail
confirmation it sends is the ground floor's (``fundapp.accounts.services``).
"""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from fundapp.accounts.forms import RegistrationForm
from fundapp.core.forms import form_submit
from grants.services.organisations import ngo_register


@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = RegistrationForm(request.POST or None)
    if request.method == "GET":
        return render(request, "accounts/register.html", {"form": form})
    if form_submit(request, form, lambda data: ngo_register(
            username=data["username"], email=data["email"], password=data["password"],
            language=data["language"], organisation=form.organisation_values()),
            prefix_map={"password": "password", "username": "username", "email": "email"},
            field_prefix="org_"):
        return render(request, "accounts/register_done.html",
                      {"email": form.cleaned_data["email"]})
    return render(request, "accounts/register.html", {"form": form}, status=400)
