"""`/api/v1/users/?role=` lets the secretariat pick reviewers and board members."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fundapp.accounts.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/users/"


@pytest.mark.parametrize("role,expected", [
    ("anonymous", 401), ("ngo", 403), ("other_ngo", 403), ("secretariat", 200),
    ("reviewer", 403), ("board_member", 403), ("donor", 403),
])
def test_only_the_secretariat_lists_users(client_for, everyone, role, expected):
    assert client_for(role).get(URL).status_code == expected


def test_users_filter_by_role(client_for, everyone):
    rows = client_for("secretariat").get(f"{URL}?role=reviewer").json()["results"]
    assert [(r["username"], r["roles"]) for r in rows] == [("rev", ["reviewer"])]


def test_the_user_list_is_flat(client_for, secretariat):
    client = client_for("secretariat")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"{URL}?page_size=100").status_code == 200
        return len(ctx.captured_queries)

    UserFactory.create_batch(3, roles=[Role.REVIEWER])
    small = count()
    UserFactory.create_batch(27, roles=[Role.REVIEWER, Role.BOARD])
    assert count() == small
