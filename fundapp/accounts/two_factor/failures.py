"""A wrong second-factor code counts as a failed sign-in: django-axes (which listens to
Django's ``user_login_failed``) locks the account out after ``AXES_FAILURE_LIMIT`` of them,
password and code failures together; django-otp also slows each device down."""

from django.contrib.auth.signals import user_login_failed
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fundapp.core.errors import ValidationFailed

from ..mfa import match_second_factor, mfa_enabled, second_factor_wait


def wait_message(seconds: int) -> str:
    return ngettext(
        "After a wrong code, the next try must wait: wait %(n)s second, then enter the "
        "code shown at that moment.",
        "After wrong codes, the next try must wait: wait %(n)s seconds, then enter the "
        "code shown at that moment.", seconds) % {"n": seconds}


def second_factor_failed(request, user) -> None:
    user_login_failed.send(sender=__name__, credentials={"username": user.get_username()},
                           request=request)


def require_token_otp(request, user, otp) -> None:
    """The token endpoint's second step (API.md): once a person has two factors, ``otp``
    (a current 6-digit code or an unused recovery code) must come with the password."""
    if not mfa_enabled(user):
        return
    if not (otp or "").strip():
        raise ValidationFailed.on("otp", _("This account uses two-factor sign-in: send the "
                                           "6-digit code from the authenticator app or a "
                                           "recovery code as \"otp\"."))
    if wait := second_factor_wait(user, str(otp)):
        raise ValidationFailed.on("otp", wait_message(wait))
    if match_second_factor(user, str(otp)) is None:
        second_factor_failed(getattr(request, "_request", request), user)
        raise ValidationFailed.on("otp", _("This code is not valid."))
