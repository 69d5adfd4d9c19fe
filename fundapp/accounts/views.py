from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from fundapp.core.errors import FundError

from .forms import LoginForm, PreferencesForm
from .services import email_verify


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


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
