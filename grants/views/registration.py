"""Self-registration of an NGO: its first user and its organisation, pending verification.

It lives here, not in ``fundapp.accounts``, because it creates an organisation; the e-mail
confirmation it sends is the ground floor's (``fundapp.accounts.services``).
"""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from fundapp.accounts.forms import RegistrationForm
from fundapp.core.errors import FundError
from fundapp.core.forms import apply_errors
from grants.services.organisations import ngo_register


@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = RegistrationForm(request.POST or None)
    if request.method == "GET":
        return render(request, "accounts/register.html", {"form": form})
    if form.is_valid():
        try:
            ngo_register(
                username=form.cleaned_data["username"], email=form.cleaned_data["email"],
                password=form.cleaned_data["password"], language=form.cleaned_data["language"],
                organisation=form.organisation_values(),
            )
        except FundError as exc:
            apply_errors(form, exc, prefix_map={"password": "password", "username": "username",
                                                "email": "email"}, field_prefix="org_")
        else:
            return render(request, "accounts/register_done.html",
                          {"email": form.cleaned_data["email"]})
    return render(request, "accounts/register.html", {"form": form}, status=400)
