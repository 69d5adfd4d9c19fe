"""Writes on accounts that need nothing above the ground floor: e-mail confirmation and
change, password change and reset, signed-in sessions and API tokens.

The apps above call these (``grants`` sends the confirmation when an NGO registers; the
people pages end a deactivated user's sessions and tokens with ``sessions_end`` and
``tokens_revoke``).
"""

import hashlib
import secrets
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from fundapp.core.audit import audit_record
from fundapp.core.errors import NotFound, ValidationFailed
from fundapp.notifications.services import notify

from .emails import send_account_email
from .models import ApiToken, User, UserSession
from .selectors import email_in_use, users_for_password_reset

EMAIL_TOKEN_SALT = "fundapp.email-verification"
EMAIL_TOKEN_MAX_AGE = 3 * 24 * 3600
EMAIL_CHANGE_SALT = "fundapp.email-change"
EMAIL_CHANGE_MAX_AGE = 24 * 3600
TOKEN_PREFIX_LENGTH = 8
TOKEN_TOUCH_EVERY = timedelta(minutes=5)
SESSION_TOUCH_EVERY = timedelta(minutes=5)


# --- e-mail confirmation and change ---------------------------------------------------

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


def _address_taken() -> str:
    return _("Another account already uses this e-mail address. Sign in to that account, "
             "or reset its password if you have forgotten it.")


@transaction.atomic
def email_change_request(*, actor: User, new_email: str) -> None:
    """E-mail a confirmation link to ``new_email``; the address changes only once opened."""
    new_email = User.objects.normalize_email(new_email.strip())
    if new_email.lower() == actor.email.lower():
        raise ValidationFailed.on("email", _("This is already your e-mail address."))
    if email_in_use(new_email, exclude=actor):
        raise ValidationFailed.on("email", _address_taken())
    token = signing.dumps({"u": actor.pk, "old": actor.email, "new": new_email},
                          salt=EMAIL_CHANGE_SALT)
    url = settings.SITE_URL + reverse("accounts:email-change-confirm", args=[token])
    send_account_email(user=actor, to=new_email, template="email_change",
                       context={"url": url, "new_email": new_email,
                                "hours": EMAIL_CHANGE_MAX_AGE // 3600})
    audit_record(actor=actor, verb="account.email_change_request", target=actor,
                 after={"email": new_email})


@transaction.atomic
def email_change_confirm(*, token: str) -> User:
    """The link opened from the new address: the account takes it, verified."""
    invalid = _("This confirmation link is invalid or has expired.")
    try:
        payload = signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=EMAIL_CHANGE_MAX_AGE)
    except signing.BadSignature as exc:
        raise ValidationFailed(invalid) from exc
    user = (User.objects.select_for_update()
            .filter(pk=payload.get("u"), email=payload.get("old"), is_active=True).first())
    if user is None:  # the address changed since (or the link was used): not this link
        raise ValidationFailed(invalid)
    if email_in_use(payload["new"], exclude=user):
        raise ValidationFailed(_address_taken())
    before = {"email": user.email, "email_verified": user.email_verified}
    user.email, user.email_verified = payload["new"], True
    user.save(update_fields=["email", "email_verified"])
    audit_record(actor=user, verb="account.email_change", target=user, before=before,
                 after={"email": user.email, "email_verified": True})
    if before["email"]:
        send_account_email(user=user, to=before["email"], template="email_changed",
                           context={"new_email": user.email})
    return user


# --- passwords ------------------------------------------------------------------------

def _check_new_password(password: str, user: User, field: str = "new_password") -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed(field_errors={field: list(exc.messages)}) from exc


def _password_set(*, user: User, new_password: str, keep_session_key: str | None,
                  verb: str) -> None:
    user.set_password(new_password)
    user.save(update_fields=["password"])
    ended = sessions_end(user, keep_session_key=keep_session_key)
    revoked = tokens_revoke(user)
    audit_record(actor=user, verb=verb, target=user,
                 after={"sessions_ended": ended, "tokens_revoked": revoked})
    notify(recipients=[user], kind="account_password_changed", target=user,
           data={"how": "reset" if verb == "account.password_reset" else "change",
                 "url": reverse("accounts:sessions")})


@transaction.atomic
def password_change(*, actor: User, old_password: str, new_password: str,
                    keep_session_key: str | None = None) -> None:
    """The person's own change: the other sessions and every API token stop working."""
    if not actor.check_password(old_password):
        raise ValidationFailed.on("old_password", _("Your current password is not correct."))
    _check_new_password(new_password, actor)
    _password_set(user=actor, new_password=new_password, keep_session_key=keep_session_key,
                  verb="account.password_change")


def password_reset_url(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL + reverse("accounts:password-reset-confirm", args=[uid, token])


@transaction.atomic
def password_reset_request(*, email: str) -> None:
    """E-mail a one-time link to each active account of ``email``; silent for others."""
    hours = settings.PASSWORD_RESET_TIMEOUT // 3600
    for user in users_for_password_reset(email):
        send_account_email(user=user, to=user.email, template="password_reset",
                           context={"url": password_reset_url(user), "hours": hours})
        audit_record(actor=None, verb="account.password_reset_request", target=user)


def password_reset_user(uidb64: str, token: str) -> User | None:
    """The account a reset link is for, or None when the link is used, expired or forged."""
    try:
        pk = force_str(urlsafe_base64_decode(uidb64))
        user = User.objects.get(pk=pk, is_active=True)
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        return None
    return user if default_token_generator.check_token(user, token) else None


@transaction.atomic
def password_reset_set(*, user: User, new_password: str) -> None:
    """The new password of a reset link the caller has checked (``password_reset_user``)."""
    _check_new_password(new_password, user)
    _password_set(user=user, new_password=new_password, keep_session_key=None,
                  verb="account.password_reset")


@transaction.atomic
def password_reset_confirm(*, uidb64: str, token: str, new_password: str) -> User:
    user = password_reset_user(uidb64, token)
    if user is None:
        raise ValidationFailed.on("token", _("This password reset link is invalid, has "
                                             "expired or was already used."))
    password_reset_set(user=user, new_password=new_password)
    return user


# --- signed-in sessions ---------------------------------------------------------------

SESSION_SEEN_KEY = "_fundapp_seen"


def now_stamp() -> float:
    return timezone.now().timestamp()


def session_due(session) -> bool:
    """Whether the session's last-seen time is older than ``SESSION_TOUCH_EVERY``."""
    seen = session.get(SESSION_SEEN_KEY)
    return not isinstance(seen, int | float) or (
        now_stamp() - seen > SESSION_TOUCH_EVERY.total_seconds())


def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def session_record(*, user: User, session_key: str, ip: str | None, user_agent: str) -> None:
    UserSession.objects.update_or_create(
        session_key=session_key,
        defaults={"user": user, "ip": ip or None, "user_agent": user_agent[:300],
                  "last_seen_at": timezone.now()})


def session_forget(*, session_key: str | None) -> None:
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


def sessions_end(user: User, *, keep_session_key: str | None = None) -> int:
    """Sign the user out of every recorded browser session but ``keep_session_key``."""
    rows = UserSession.objects.filter(user=user)
    if keep_session_key:
        rows = rows.exclude(session_key=keep_session_key)
    keys = list(rows.values_list("session_key", flat=True))
    store = _session_store()
    for key in keys:
        store(session_key=key).delete()
    UserSession.objects.filter(session_key__in=keys).delete()
    return len(keys)


@transaction.atomic
def sessions_sign_out(*, actor: User, keep_session_key: str | None) -> int:
    """"Sign out everywhere else" (keep this one) or "everywhere" (None): tokens too."""
    ended = sessions_end(actor, keep_session_key=keep_session_key)
    revoked = tokens_revoke(actor) if keep_session_key is None else 0
    audit_record(actor=actor, verb="account.sessions_end", target=actor,
                 after={"sessions_ended": ended, "tokens_revoked": revoked,
                        "kept_this_one": bool(keep_session_key)})
    return ended


# --- API tokens -----------------------------------------------------------------------

def token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_create(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new token; the raw key is returned once and never stored."""
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, key_hash=token_hash(key), prefix=key[:TOKEN_PREFIX_LENGTH],
        name=name[:100],
        expires_at=timezone.now() + timedelta(hours=settings.API_TOKEN_TTL_HOURS))
    return token, key


def token_authenticate(key: str) -> ApiToken | None:
    """The live token of ``key`` (not expired, active user), its last use noted."""
    token = (ApiToken.objects.select_related("user")
             .filter(key_hash=token_hash(key), expires_at__gt=timezone.now()).first())
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOKEN_TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def token_revoke(*, actor: User, token_id: int) -> None:
    """Revoke one of the actor's own tokens (someone else's is not found: 404)."""
    deleted, _rows = ApiToken.objects.filter(user=actor, pk=token_id).delete()
    if not deleted:
        raise NotFound()
    audit_record(actor=actor, verb="account.token_revoke", target=actor,
                 after={"token": token_id})


def tokens_revoke(user: User) -> int:
    deleted, _rows = ApiToken.objects.filter(user=user).delete()
    return deleted


# --- preferences ----------------------------------------------------------------------

PROFILE_FIELDS = ("first_name", "last_name", "language", "timezone")


@transaction.atomic
def profile_update(*, actor: User, **values) -> User:
    """Name, language and time zone (the e-mail address changes through a confirmation)."""
    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not a profile field: {sorted(unknown)}")
    # From the database: a bound ModelForm may already have set the new values on ``actor``.
    before = User.objects.filter(pk=actor.pk).values(*values).get() if values else {}
    changed = {k: v for k, v in values.items() if before[k] != v}
    if changed:
        for name, value in changed.items():
            setattr(actor, name, value)
        actor.save(update_fields=list(changed))
        audit_record(actor=actor, verb="account.profile_update", target=actor,
                     before={k: before[k] for k in changed}, after=changed)
    return actor
