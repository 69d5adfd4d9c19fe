"""One demo seeding per test module, shared by its tests.

Seeding the demo takes seconds; a module of twenty tests that each seed it again spends
most of its time there. ``seeded_once(seed)`` makes a module-scoped fixture that runs
``seed()`` once, committed, before the first test of the module that asks for it, and
empties the database after the module's last test. Each test still runs in its own
transaction, rolled back at its end (``django_db``, not ``transaction=True``), so every
test sees the same seeded data whatever the others changed.

A module using it is named in ``GROUPS_BY_PATH`` (tests/conftest.py) so that ``make test``
(pytest-xdist) runs all its tests on one worker: one seeding per module, not one per
worker. Tests that need an empty database belong in another module.
"""

import pytest
from django.core.management import call_command
from django.test import override_settings

# What tests/conftest.py's autouse ``_isolated`` gives every test, for the seeding that runs
# before (outside) any test.
SEEDING_SETTINGS = {
    "DEBUG": True,  # the demo commands refuse to run without it
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "CELERY_TASK_ALWAYS_EAGER": True,
    "AXES_ENABLED": False,
    "CACHES": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
}


def seeded_once(seed):
    """A module-scoped fixture: ``seed()`` once for the module; yields the uploads' folder.

    The tests that use it set ``settings.MEDIA_ROOT`` to that folder (the autouse fixture
    gives each test an empty one) to read the files the seeding stored.
    """

    @pytest.fixture(scope="module")
    def fixture(django_db_setup, django_db_blocker, tmp_path_factory):
        from fundapp.celery import app

        media = tmp_path_factory.mktemp("seeded-media")
        app.conf.task_always_eager = True
        try:
            with django_db_blocker.unblock(), override_settings(**SEEDING_SETTINGS,
                                                                 MEDIA_ROOT=str(media)):
                seed()
            yield media
        finally:
            with django_db_blocker.unblock():
                call_command("flush", interactive=False, verbosity=0)

    return fixture
