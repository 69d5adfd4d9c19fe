"""Writes on accounts that need nothing above the ground floor: confirming an e-mail address.

The apps above call these (``grants`` sends the confirmation when an NGO registers); the
link opens ``accounts:verify-email``.
"""

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from fundapp.core.audit import audit_record
from fundapp.core.errors import ValidationFailed
from fundapp.notifications.services import notify

from .models import User

EMAIL_TOKEN_SALT = "fundapp.email-verification"
EMAIL_TOKEN_MAX_AGE = 3 * 24 * 3600


def email_verification_send(*, user: User) -> None:
    token = signing.dumps({"u": user.pk, "e": user.email}, salt=EMAIL_TOKEN_SALT)
    notify(recipients=[user], kind="account_verify_email", target=user,
           data={"url": reverse("accounts:verify-email", args=[token])})


@transaction.atomic
def email_verify(*, token: str) -> User:
    try:
        payload = signing.loads(token, salt=EMAIL_TOKEN_SALT, max_age=EMAIL_TOKEN_MAX_AGE)
    except signing.BadSignature as exc:
        raise ValidationFailed(_("This confirmation link is invalid or has expired.")) from exc
    user = User.objects.filter(pk=payload.get("u"), email=payload.get("e")).first()
    if user is None:
        raise ValidationFailed(_("This confirmation link is invalid or has expired."))
    if not user.email_verified:
        user.email_verified = True
        user.is_active = True
        user.save(update_fields=["email_verified", "is_active"])
        audit_record(actor=user, verb="account.verify_email", target=user)
    return user
