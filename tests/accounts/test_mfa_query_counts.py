"""The two-factor pages that list things keep their query count flat."""

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp_webauthn.models import WebAuthnCredential

from tests.accounts.mfa_helpers import enrol
from tests.queries import queries_for_get

pytestmark = pytest.mark.django_db

BUDGET = 14


def _passkeys(user, n, start=0):
    for i in range(start, start + n):
        WebAuthnCredential.objects.create(
            user=user, name=f"Key {i}", confirmed=True, credential_id=bytes([i]) * 16,
            public_key=b"k", sign_count=0, credential_id_sha256=f"{i:064x}")


@pytest.mark.parametrize("url_name", ["accounts:two-factor-passkeys", "accounts:two-factor"])
def test_pages_cost_the_same_for_one_passkey_and_many(login, reviewer, url_name):
    device, _codes = enrol(reviewer)
    client = login(reviewer)
    session = client.session  # past the second step, as after the verify page
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    url = reverse(url_name)
    _passkeys(reviewer, 1)
    few = queries_for_get(client, url)
    _passkeys(reviewer, 12, start=1)
    assert queries_for_get(client, url) == few <= BUDGET
