"""seed_demo on an empty database: what it prints, and its refusal with DEBUG off.

(The data it seeds is tested in test_seed_demo.py, on one seeding shared by its tests.)"""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from fundapp.accounts.models import User
from tests.test_seed_demo import EXPECTED_USERS

pytestmark = pytest.mark.django_db


def test_seed_prints_the_logins_and_the_url(settings):
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out = StringIO()
    call_command("seed_demo", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8000" in text
    assert settings.DEMO_PASSWORD in text
    for username in EXPECTED_USERS:
        assert username in text


def test_seed_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=StringIO())
    assert not User.objects.exists()
