from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from fundapp.core.errors import FundError
from fundapp.core.forms import apply_errors
from grants.services.organisations import email_verify, ngo_register

from .forms import LoginForm, PreferencesForm, RegistrationForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


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


def verify_email(request, token: str):
    try:
        email_verify(token=token)
    except FundError as exc:
        messages.error(request, exc.message)
        return redirect("home")
    messages.success(request, _("Your e-mail address is confirmed. You can now sign in."))
    return redirect("accounts:login")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        response = redirect("accounts:preferences")
        response.delete_cookie("django_language")
        messages.success(request, _("Your preferences are saved."))
        return response
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/preferences.html", {"form": form}, status=status)
