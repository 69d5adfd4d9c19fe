"""The migration of existing memberships: every existing user becomes their organisation's
admin (before it, each organisation had one user; ``is_admin`` was not always set)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("grants", "0007_status_fsm")]
AFTER = [("grants", "0008_members_roles_and_invitations")]


@pytest.mark.django_db(transaction=True)
def test_each_existing_member_becomes_the_admin_of_their_organisation():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    User = old.get_model("accounts", "User")
    Organisation = old.get_model("grants", "Organisation")
    Membership = old.get_model("grants", "Membership")
    for i, flag in enumerate([True, False]):
        org = Organisation.objects.create(name=f"Org {i}", country="NG",
                                          registration_number=f"RC-{i}")
        user = User.objects.create(username=f"member{i}", email=f"m{i}@example.org")
        Membership.objects.create(user=user, organisation=org, is_admin=flag)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    roles = dict(new.get_model("grants", "Membership").objects
                 .values_list("user__username", "role"))
    assert roles == {"member0": "admin", "member1": "admin"}

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
