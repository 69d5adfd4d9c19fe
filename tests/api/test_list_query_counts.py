"""Every list endpoint runs the same number of queries for 3 rows as for 30; so does a detail."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from grants.models import ApplicationStatus, BudgetLine, ClarificationQuestion
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    OrganisationFactory,
    attach,
    complete_application,
    ngo_user,
)

pytestmark = pytest.mark.django_db


def queries_for(client, url: str) -> tuple[int, int]:
    """(query count, rows returned) for one GET of ``url`` showing up to 100 rows."""
    url += ("&" if "?" in url else "?") + "page_size=100"
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), len(response.json()["results"])


def assert_flat(client, url, add_rows, budget: int) -> None:
    add_rows(3)
    small, rows_small = queries_for(client, url)
    add_rows(27)
    large, rows_large = queries_for(client, url)
    assert (rows_small, rows_large) == (3, 30)
    assert large == small, f"{url}: {small} queries for 3 rows, {large} for 30"
    assert small <= budget, f"{url}: {small} queries, budget {budget}"


def test_the_call_list_is_flat(client_for, secretariat):
    def add(n):
        CallFactory.create_batch(n)

    assert_flat(client_for("secretariat"), "/api/v1/calls/?ordering=closes_at", add, budget=5)


def test_the_public_call_list_is_flat(api, db):
    def add(n):
        CallFactory.create_batch(n)

    assert_flat(api, "/api/v1/calls/?status=published", add, budget=3)


def test_the_question_list_is_flat(client_for, secretariat, open_call):
    def add(n):
        for i in range(n):
            ClarificationQuestion.objects.create(
                call=open_call, organisation=OrganisationFactory(), question=f"Q{i}",
                answer="A", published_at=timezone.now())

    assert_flat(client_for("secretariat"), f"/api/v1/calls/{open_call.pk}/questions/", add,
                budget=6)


def test_the_organisation_list_is_flat(client_for, secretariat):
    def add(n):
        for org in OrganisationFactory.create_batch(n):
            ngo_user(org)

    assert_flat(client_for("secretariat"), "/api/v1/organisations/", add, budget=4)


def test_the_secretariats_application_list_is_flat(client_for, secretariat, open_call):
    def add(n):
        for _ in range(n):
            complete_application(call=open_call)

    assert_flat(client_for("secretariat"), "/api/v1/applications/", add, budget=6)


def test_a_filtered_application_list_is_flat(client_for, secretariat, open_call):
    def add(n):
        for _ in range(n):
            complete_application(call=open_call)
        ApplicationFactory.create_batch(n, status=ApplicationStatus.SUBMITTED)

    url = (f"/api/v1/applications/?call={open_call.pk}&status=draft&country=NG"
           "&priority=armed-conflict&search=project&ordering=-requested_usd")
    assert_flat(client_for("secretariat"), url, add, budget=6)


def test_an_ngos_application_list_is_flat(client_for, ngo, organisation, open_call):
    def add(n):
        for _ in range(n):
            complete_application(call=open_call, organisation=organisation)
        ApplicationFactory.create_batch(n, call=open_call)  # other organisations': not shown

    assert_flat(client_for("ngo"), "/api/v1/applications/", add, budget=6)


def test_the_boards_application_list_is_flat(client_for, board_member, open_call):
    def add(n):
        for _ in range(n):
            complete_application(call=open_call, status=ApplicationStatus.RECOMMENDED)

    assert_flat(client_for("board_member"), "/api/v1/applications/", add, budget=6)


def test_the_attachment_list_is_flat(client_for, ngo, draft):
    def add(n):
        for _ in range(n):
            attach(draft)

    assert_flat(client_for("ngo"), f"/api/v1/applications/{draft.pk}/attachments/", add,
                budget=7)


def test_an_applications_detail_does_not_grow_with_its_lines_and_attachments(
        client_for, ngo, complete_draft):
    url = f"/api/v1/applications/{complete_draft.pk}/"
    client = client_for("ngo")
    client.get(url)  # warm the user's token and roles
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for i in range(20):
        BudgetLine.objects.create(application=complete_draft, category="other", amount=1,
                                  position=10 + i)
        attach(complete_draft)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small) <= 8
