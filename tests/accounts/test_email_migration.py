"""The migration to case-insensitively unique addresses keeps one account per address:
the one that verified it (else the earliest); the others lose the address and "verified"."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("accounts", "0001_initial")]
AFTER = [("accounts", "0002_sessions_tokens_unique_email")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_schema():
    if not MigrationExecutor(connection).loader.applied_migrations:
        pytest.skip("the test database was built without migrations (--nomigrations)")
    apps = _migrate(BEFORE)
    yield apps
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_colliding_addresses_are_released_to_the_verified_account(old_schema):
    User = old_schema.get_model("accounts", "User")
    first = User.objects.create(username="first", email="Shared@example.org")
    verified = User.objects.create(username="verified", email="shared@EXAMPLE.org",
                                   email_verified=True)
    third = User.objects.create(username="third", email="shared@example.org",
                                email_verified=False)
    alone = User.objects.create(username="alone", email="alone@example.org")
    apps = _migrate(AFTER)
    User = apps.get_model("accounts", "User")
    rows = {u.username: (u.email, u.email_verified) for u in User.objects.all()}
    assert rows[verified.username] == ("shared@EXAMPLE.org", True)
    assert rows[first.username] == ("", False) and rows[third.username] == ("", False)
    assert rows[alone.username] == ("alone@example.org", False)
