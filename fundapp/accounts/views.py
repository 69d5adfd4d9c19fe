from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language

from fundapp.core.confirm import confirmation_required
from fundapp.core.errors import FundError

from . import services
from .useragent import browser_summary
from .forms import (
    EmailChangeForm,
    LoginForm,
    PasswordChangeForm,
    PasswordResetRequestForm,
    PasswordResetSetForm,
    PreferencesForm,
)
from .selectors import sessions_of, tokens_of
from .throttles import web_reset_allowed

TOKEN_REVOKE_WHAT = gettext_lazy("Programs using this API token can no longer sign in with it.")
TOKEN_REVOKE_ACTION = gettext_lazy("Revoke the token")


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def verify_email(request, token: str):
    try:
        services.email_verify(token=token)
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
        services.profile_update(actor=request.user, **{
            name: form.cleaned_data[name] for name in PreferencesForm.Meta.fields})
        response = redirect("accounts:preferences")
        response.delete_cookie("django_language")
        messages.success(request, _("Your preferences are saved."))
        return response
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/preferences.html", {"form": form}, status=status)


@require_POST
def set_language(request):
    """The header's language menu: Django's cookie, and for a signed-in user the account's
    language too (other devices, the next sign-in and e-mails follow it)."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.profile_update(actor=request.user, language=language)
    return response


def _fund_error_to_form(form, exc: FundError) -> None:
    if exc.field_errors:
        for field, errors in exc.field_errors.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        form.add_error(None, exc.message)


@login_required
@require_http_methods(["GET", "POST"])
def email_change(request):
    form = EmailChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.email_change_request(actor=request.user, new_email=form.cleaned_data["email"])
        except FundError as exc:
            _fund_error_to_form(form, exc)
        else:
            messages.success(request, _("We e-mailed a confirmation link to %(email)s. Your "
                                        "address changes when you open it.")
                             % {"email": form.cleaned_data["email"]})
            return redirect("accounts:preferences")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/email_change.html", {"form": form}, status=status)


def email_change_confirm(request, token: str):
    try:
        services.email_change_confirm(token=token)
    except FundError as exc:
        messages.error(request, exc.message)
        return redirect("home")
    messages.success(request, _("Your new e-mail address is confirmed."))
    return redirect("accounts:preferences" if request.user.is_authenticated else "accounts:login")


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(actor=request.user,
                                     old_password=form.cleaned_data["old_password"],
                                     new_password=form.cleaned_data["new_password"],
                                     keep_session_key=request.session.session_key)
        except FundError as exc:
            _fund_error_to_form(form, exc)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password is changed. You were signed out of "
                                        "your other sessions and your API tokens were "
                                        "revoked."))
            return redirect("accounts:sessions")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/password_change.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def password_reset(request):
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not web_reset_allowed(request):
            return render(request, "accounts/password_reset.html", {
                "form": form, "throttled": True}, status=429)
        services.password_reset_request(email=form.cleaned_data["email"])
        return redirect("accounts:password-reset-sent")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/password_reset.html", {"form": form}, status=status)


def password_reset_sent(request):
    return render(request, "accounts/password_reset_sent.html")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's view (the token leaves the URL before the page shows); our form and rules."""

    template_name = "accounts/password_reset_confirm.html"
    form_class = PasswordResetSetForm
    success_url = reverse_lazy("accounts:password-reset-complete")
    post_reset_login = False

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None


def password_reset_complete(request):
    return render(request, "accounts/password_reset_complete.html")


@login_required
def sessions(request):
    current = request.session.session_key
    rows = [(s, browser_summary(s.user_agent), s.session_key == current)
            for s in sessions_of(request.user)]
    return render(request, "accounts/sessions.html", {
        "sessions": rows, "tokens": list(tokens_of(request.user)),
        "token_revoke_what": TOKEN_REVOKE_WHAT, "token_revoke_action": TOKEN_REVOKE_ACTION})


@login_required
@require_POST
def sessions_sign_out(request, scope: str):
    if scope not in ("others", "all"):
        raise Http404()
    keep = request.session.session_key if scope == "others" else None
    ended = services.sessions_sign_out(actor=request.user, keep_session_key=keep)
    if keep:
        messages.success(request, ngettext("You were signed out of %(n)s other session.",
                                           "You were signed out of %(n)s other sessions.",
                                           ended) % {"n": ended})
        return redirect("accounts:sessions")
    messages.success(request, _("You were signed out everywhere, and your API tokens were "
                                "revoked."))
    return redirect("accounts:login")


@login_required
@require_POST
@confirmation_required(TOKEN_REVOKE_WHAT, TOKEN_REVOKE_ACTION)
def token_revoke(request, pk: int):
    try:
        services.token_revoke(actor=request.user, token_id=pk)
    except FundError:
        raise Http404() from None
    messages.success(request, _("The API token is revoked."))
    return redirect("accounts:sessions")
