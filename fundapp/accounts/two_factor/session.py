"""What the session knows about its user's second factors, worked out once at sign-in.

Stored at sign-in (Django's ``user_logged_in``, sent by every way of signing in: the login
form, a passkey, ``force_login``) so that the gate costs no query on each request, and
refreshed by the two-factor pages when the person's factors change.
"""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from ..mfa import mfa_enabled, mfa_required_for

SESSION_KEY = "fundapp_mfa"


def remember_factors(request, user) -> dict:
    state = {"u": user.pk, "enabled": mfa_enabled(user), "required": mfa_required_for(user)}
    request.session[SESSION_KEY] = state
    return state


def factors_state(request, user) -> dict:
    state = request.session.get(SESSION_KEY)
    if not isinstance(state, dict) or state.get("u") != user.pk:
        state = remember_factors(request, user)  # a session from before two-factor sign-in
    return state


@receiver(user_logged_in, dispatch_uid="fundapp.two_factor.remember_factors")
def _remember_at_sign_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        remember_factors(request, user)
