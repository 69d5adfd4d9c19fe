"""The two-factor pages under /accounts/two-factor/: status, authenticator app enrolment,
recovery codes, passkeys, and the second step of signing in."""

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.utils import rewrite_exceptions
from django_otp_webauthn.views import (
    CompleteCredentialRegistrationView,
    _get_pywebauthn_logger,
)

from fundapp.core.confirm import confirmation_required
from fundapp.core.errors import FundError, NotFound

from .. import mfa
from .failures import second_factor_failed, wait_message
from .forms import CodeForm, PasskeyNameForm, TotpConfirmForm
from .qr import qr_svg
from .services import (
    get_passkey_for,
    passkey_register,
    passkey_remove,
    passkey_rename,
    recovery_codes_regenerate,
    totp_confirm,
    totp_disable,
    totp_secret,
    totp_start,
)
from .session import remember_factors


def _field_errors(form, exc: FundError) -> None:
    for field, errors in (exc.field_errors or {"__all__": [exc.message]}).items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


def _codes_page(request, codes: list[str]):
    text = "\n".join([_("FundApp recovery codes for %(user)s (each works once):")
                      % {"user": request.user.get_username()}, *codes, ""])
    return render(request, "accounts/two_factor/recovery_codes.html", {
        "codes": codes, "download": "data:text/plain;charset=utf-8," + quote(text)})


@login_required
@never_cache
def status(request):
    user = request.user
    return render(request, "accounts/two_factor/status.html", {
        "totp": mfa.totp_device(user), "passkeys": list(mfa.passkeys_of(user)),
        "codes_left": mfa.recovery_codes_left(user), "required": mfa.mfa_required_for(user),
        "enabled": mfa.mfa_enabled(user),
    })


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def totp_enrol(request):
    """GET shows the pending key (QR code and typed form); POST (from the status page,
    without a code) starts a new one, or with a code confirms it."""
    user = request.user
    if request.method == "POST" and "code" not in request.POST:
        try:
            totp_start(actor=user)
        except FundError as exc:
            messages.error(request, exc.message)
            return redirect("accounts:two-factor")
        return redirect("accounts:two-factor-totp")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        return redirect("accounts:two-factor")
    form = TotpConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = totp_confirm(actor=user, code=form.cleaned_data["code"])
        except FundError as exc:
            _field_errors(form, exc)
        else:
            otp_login(request, TOTPDevice.objects.get(pk=device.pk))
            remember_factors(request, user)
            messages.success(request, _("Two-factor sign-in is on."))
            return _codes_page(request, codes)
    return render(request, "accounts/two_factor/totp_enrol.html", {
        "form": form, "secret": totp_secret(device),
        "qr": qr_svg(device.config_url, _("QR code of the key for your authenticator app")),
    }, status=400 if form.errors else 200)


@login_required
@require_POST
@confirmation_required(gettext_lazy("Signing in will no longer ask for a code from your "
                                    "authenticator app."), gettext_lazy("Turn off"))
def totp_turn_off(request):
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            totp_disable(actor=request.user, code=form.cleaned_data["code"])
        except FundError as exc:
            messages.error(request, exc.field_errors.get("code", [exc.message])[0])
        else:
            remember_factors(request, request.user)
            messages.success(request, _("The authenticator app is turned off."))
    else:
        messages.error(request, _("Enter a current code to turn the authenticator app off."))
    return redirect("accounts:two-factor")


@login_required
@never_cache
@require_POST
@confirmation_required(gettext_lazy("Your current recovery codes will stop working and ten "
                                    "new ones will be shown once."),
                       gettext_lazy("Make new recovery codes"))
def recovery_codes(request):
    try:
        codes = recovery_codes_regenerate(actor=request.user)
    except FundError as exc:
        messages.error(request, exc.message)
        return redirect("accounts:two-factor")
    return _codes_page(request, codes)


@login_required
@never_cache
def passkeys(request):
    return render(request, "accounts/two_factor/passkeys.html", {
        "passkeys": list(mfa.passkeys_of(request.user)), "form": PasskeyNameForm(),
    })


def _own_passkey(request, pk: int):
    try:
        return get_passkey_for(request.user, pk)
    except NotFound as exc:  # another person's, or gone
        raise Http404 from exc


@login_required
@require_POST
def passkey_name(request, pk: int):
    _own_passkey(request, pk)
    form = PasskeyNameForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the passkey a name."))
        return redirect("accounts:two-factor-passkeys")
    passkey_rename(actor=request.user, passkey_id=pk, name=form.cleaned_data["name"])
    messages.success(request, _("The passkey is saved."))
    return redirect("accounts:two-factor-passkeys")


@login_required
@require_POST
@confirmation_required(gettext_lazy("This passkey will no longer sign you in."),
                       gettext_lazy("Remove the passkey"))
def passkey_delete(request, pk: int):
    _own_passkey(request, pk)
    try:
        passkey_remove(actor=request.user, passkey_id=pk)
    except FundError as exc:
        messages.error(request, exc.message)
    else:
        remember_factors(request, request.user)
        messages.success(request, _("The passkey is removed."))
    return redirect("accounts:two-factor-passkeys")


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def verify(request):
    """The second step of signing in: a code, a recovery code or a passkey."""
    user = request.user
    if user.is_verified() or not mfa.mfa_enabled(user):
        remember_factors(request, user)
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    wait = 0
    if request.method == "POST" and form.is_valid():
        wait = mfa.second_factor_wait(user, form.cleaned_data["code"])
    if wait:
        form.add_error("code", wait_message(wait))
    elif request.method == "POST" and form.is_valid():
        device = mfa.match_second_factor(user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        second_factor_failed(request, user)
        if getattr(request, "axes_locked_out", False):
            logout(request)
            messages.error(request, _("Too many failed attempts: this account is locked "
                                      "for a while."))
            return redirect("accounts:login")
        form.add_error("code", _("This code is not valid. Codes change every 30 seconds; "
                                 "a recovery code works only once."))
    return render(request, "accounts/two_factor/verify.html", {
        "form": form, "next": _next_url(request),
        "has_passkeys": mfa.passkeys_of(user).exists(),
    }, status=400 if form.errors else 200)


class PasskeyRegistrationCompleteView(CompleteCredentialRegistrationView):
    """django-otp-webauthn's view, finishing through ``passkey_register`` (audited, the
    person is told). The page's script then posts the name typed beside the button."""

    def post(self, *args, **kwargs):
        user = self.get_user()
        state = self.get_state()
        with rewrite_exceptions(logger=_get_pywebauthn_logger()):
            passkey = passkey_register(actor=user, helper=self.get_helper(), state=state,
                                       data=self.request.data)
        if not self.request.user.is_verified():
            otp_login(self.request, passkey)
        remember_factors(self.request, user)
        return JsonResponse({"id": passkey.pk})
