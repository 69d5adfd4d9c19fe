"""Money recorded once: the ``Idempotency-Key`` header on API writes, a one-time form token.

Both claim an ``IdempotencyKey`` row in the same transaction as the write they guard. A
concurrent duplicate blocks on the row's unique constraint until the first request commits
and then finds its stored outcome; if the first one fails, its claim is rolled back with
it and the retry runs as new. Claims expire after ``IDEMPOTENCY_KEY_TTL_HOURS`` (24 h).
"""

import functools
import hashlib
import json
import secrets
from contextlib import contextmanager
from datetime import timedelta

from django import forms
from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from .errors import FundError, StateConflict, ValidationFailed
from .models import IdempotencyKey

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
FORM_TOKEN_FIELD = "form_token"
_FORM_SALT = "fundapp.core.idempotency.form-token"


class KeyReused(FundError):
    status_code = 422
    default_message = _("This Idempotency-Key was already used for a different request: "
                        "use a new key for a new request.")


class AlreadyRecorded(Exception):  # noqa: N818 - an outcome, not a failure
    """The form was already sent and recorded; ``url`` shows what it recorded."""

    def __init__(self, url: str):
        self.url = url
        super().__init__(url)


def ttl() -> timedelta:
    return timedelta(hours=getattr(settings, "IDEMPOTENCY_KEY_TTL_HOURS", 24))


def claim(user, key: str, fingerprint: str) -> tuple[IdempotencyKey, bool]:
    """Insert the claim in the caller's transaction, or return the earlier one (``False``)."""
    now = timezone.now()
    IdempotencyKey.objects.filter(user=user, created_at__lt=now - ttl()).delete()
    try:
        with transaction.atomic():
            return IdempotencyKey.objects.create(
                user=user, key=key, fingerprint=fingerprint, created_at=now), True
    except IntegrityError:
        earlier = IdempotencyKey.objects.filter(user=user, key=key).first()
        if earlier is None:  # the other request failed and released the key meanwhile
            raise StateConflict(_("The same request is being processed: try again in a "
                                  "moment.")) from None
        return earlier, False


def purge_expired() -> int:
    """Delete claims past their lifetime; returns how many (run daily by beat)."""
    deleted, _kinds = IdempotencyKey.objects.filter(
        created_at__lt=timezone.now() - ttl()).delete()
    return deleted


# --- API -------------------------------------------------------------------------------------


def _canonical(data) -> object:
    if hasattr(data, "lists"):  # QueryDict from a form or multipart body
        return sorted((k, [_canonical(v) for v in values]) for k, values in data.lists())
    if hasattr(data, "read"):  # an uploaded file
        return {"file": getattr(data, "name", ""), "size": getattr(data, "size", None)}
    return data


def fingerprint(request) -> str:
    body = json.dumps(_canonical(request.data), sort_keys=True, default=str)
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def _valid_key(raw: str) -> str:
    key = raw.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise ValidationFailed(_("The Idempotency-Key header must be 1 to %(n)s printable "
                                 "characters.") % {"n": MAX_KEY_LENGTH})
    return key


def _replay(earlier: IdempotencyKey, print_: str) -> Response:
    if earlier.fingerprint != print_:
        raise KeyReused()
    return Response(earlier.response, status=earlier.status_code,
                    headers={"Idempotent-Replayed": "true"})


def _store(row: IdempotencyKey, response: Response) -> None:
    if not 200 <= response.status_code < 300:
        row.delete()  # nothing was recorded: the same key may try again
        return
    data = response.data
    row.response = None if data is None else json.loads(JSONRenderer().render(data))
    row.status_code = response.status_code
    row.save(update_fields=["response", "status_code"])


KEY_PARAMETER = OpenApiParameter(
    HEADER, OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
    description=_("A unique value per intended write (e.g. a UUID). Sent again with the "
                  "same body within 24 hours, it returns the first response and records "
                  "nothing more; with another body, 422."))


def idempotent(method):
    """Decorate a DRF view method that records money (runs after authentication).

    On a custom ``@action``, put it above ``@action`` so the header is in the schema.
    """

    @functools.wraps(method)
    def wrapper(view, request, *args, **kwargs):
        raw = request.headers.get(HEADER)
        if raw is None or request.method != "POST" or not request.user.is_authenticated:
            return method(view, request, *args, **kwargs)
        key, print_ = _valid_key(raw), fingerprint(request)
        with transaction.atomic():
            row, fresh = claim(request.user, key, print_)
            if not fresh:
                return _replay(row, print_)
            response = method(view, request, *args, **kwargs)
            _store(row, response)
        return response

    return extend_schema(methods=["POST"], parameters=[KEY_PARAMETER])(wrapper)


# --- Web forms -------------------------------------------------------------------------------


def new_form_token() -> str:
    return signing.TimestampSigner(salt=_FORM_SALT).sign(secrets.token_urlsafe(18))


def _token_valid(value) -> bool:
    try:
        signing.TimestampSigner(salt=_FORM_SALT).unsign(
            str(value or ""), max_age=ttl().total_seconds())
    except signing.BadSignature:
        return False
    return True


class FormTokenField(forms.CharField):
    """A hidden one-time token, new each time the form is shown (see ``recorded_once``).

    A bound form whose token is missing, forged or expired is shown again with a new one.
    """

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("initial", new_form_token)
        super().__init__(**kwargs)

    def bound_data(self, data, initial):
        return data if _token_valid(data) else initial


class _Once:
    def __init__(self, row: IdempotencyKey | None):
        self.row, self.url = row, None

    def done(self, url: str) -> None:
        """Say where the recorded object is shown (a second post goes there)."""
        self.url = url


@contextmanager
def recorded_once(request, form: forms.Form):
    """Run a form's write at most once per form token, in one transaction with its claim.

    Raises ``AlreadyRecorded`` when the token was used by an earlier successful post, and a
    ``ValidationFailed`` when it has expired. A form without a token is not protected.
    """
    token = form.data.get(form.add_prefix(FORM_TOKEN_FIELD)) or ""
    if token and not _token_valid(token):
        raise ValidationFailed(_("This form was opened more than a day ago: check the values "
                                 "and send it again."))
    with transaction.atomic():
        row = None
        if token:
            row, fresh = claim(request.user, f"form:{token}", "form")
            if not fresh:
                raise AlreadyRecorded((row.response or {}).get("url") or "/")
        once = _Once(row)
        yield once
        if row is not None:
            row.status_code, row.response = 303, {"url": once.url}
            row.save(update_fields=["status_code", "response"])
