"""The fund-wide progress reports list (issue 14's gap): ``/manage/reports/`` for the
secretariat and the Board (every grant), ``/reports/`` for an organisation's members (its own
only); filters status, kind, call, overdue, due within N days and a hidden organisation;
sort, page size, count, CSV/XLSX; a flat query budget. And the lists the secretariat's work
queue links to, converted to ``fundapp.core.listing``: the grant portfolio's filters, the
pledge list's ``?outstanding=1``, the delivery monitor's ``?status=failed``."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from fundapp.notifications.models import DeliveryState, Notification
from grants.models import ReportDue
from grants.services.implementation import report_submit
from tests.factories import ngo_user
from tests.grants.implementation.helpers import active_grant, due, make_grant, report_data
from tests.queries import queries_for_get

pytestmark = pytest.mark.django_db
MANAGE, MINE = "/manage/reports/", "/reports/"


@pytest.fixture
def fund(organisation, other_organisation, ngo, other_ngo, secretariat):
    """Ours: one active grant with its interim report overdue and one with it submitted;
    theirs: one active grant (nothing late)."""
    late = active_grant(organisation, ngo, secretariat)
    ReportDue.objects.filter(pk=due(late).pk).update(
        due_date=timezone.localdate() - timedelta(days=5))
    sent = active_grant(organisation, ngo, secretariat)
    report = report_submit(actor=ngo, grant=sent, report_due=due(sent), data=report_data())
    theirs = active_grant(other_organisation, other_ngo, secretariat)
    return {"late": late, "sent": sent, "theirs": theirs, "report": report}


def _rows(response):
    assert response.status_code == 200, response.status_code
    return list(response.context["page"].object_list)


def _count(response) -> int:
    body = response.content.decode()
    return int(body.split('class="muted small list-count" data-count="')[1].split('"')[0])


def test_the_secretariat_sees_every_grants_reports_and_filters_them(login, secretariat, fund):
    client = login(secretariat)
    everything = client.get(MANAGE)
    assert _count(everything) == 6  # three grants, an interim and a final report each
    overdue = _rows(client.get(MANAGE, {"overdue": "1"}))
    assert [(d.grant_id, d.kind) for d in overdue] == [(fund["late"].pk, "interim")]
    body = client.get(MANAGE, {"overdue": "1"}).content.decode()
    assert "Showing only:" in body and "Overdue only" in body and fund["late"].agreement_number \
        in body
    to_review = _rows(client.get(MANAGE, {"status": "submitted"}))
    assert [d.latest_pk for d in to_review] == [fund["report"].pk]
    assert f'#report-{fund["report"].pk}' in client.get(MANAGE, {"status": "submitted"}
                                                        ).content.decode()
    assert {d.kind for d in _rows(client.get(MANAGE, {"kind": "final"}))} == {"final"}
    assert len(_rows(client.get(MANAGE, {"status": "not_started"}))) == 5
    ours = _rows(client.get(MANAGE, {"organisation": fund["late"].application.organisation_id}))
    assert {d.grant_id for d in ours} == {fund["late"].pk, fund["sent"].pk}
    assert len(_rows(client.get(MANAGE, {"call": fund["theirs"].call.number}))) == 2
    # the interim reports of the other two grants are due in about five months
    assert _rows(client.get(MANAGE, {"due": "7"})) == []
    assert len(_rows(client.get(MANAGE, {"due": "90"}))) == 0
    nonsense = client.get(MANAGE, {"status": "lost", "due": "x"})
    assert _count(nonsense) == 6 and "were left out" in nonsense.content.decode()
    soonest = _rows(client.get(MANAGE, {"sort": "due"}))
    assert soonest[0].grant_id == fund["late"].pk
    assert len(_rows(client.get(MANAGE, {"size": "25"}))) == 6


def test_the_list_exports_what_it_shows(login, secretariat, fund):
    client = login(secretariat)
    response = client.get(MANAGE, {"overdue": "1", "format": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")
                                       if hasattr(response, "streaming_content")
                                       else response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Agreement", "Call", "Organisation"]
    assert [r[0] for r in rows[1:]] == [fund["late"].agreement_number]
    xlsx = client.get(MANAGE, {"format": "xlsx"})
    assert xlsx.status_code == 200 and "spreadsheet" in xlsx["Content-Type"]


@pytest.mark.parametrize("org_role", ["admin", "editor", "viewer"])
def test_an_organisations_members_see_only_their_own(login, fund, organisation, org_role):
    member = ngo_user(organisation, org_role=org_role, username=f"m-{org_role}")
    client = login(member)
    rows = _rows(client.get(MINE))
    assert {d.grant_id for d in rows} == {fund["late"].pk, fund["sent"].pk}
    assert fund["theirs"].agreement_number not in client.get(MINE).content.decode()
    assert [d.grant_id for d in _rows(client.get(MINE, {"overdue": "1"}))] == [fund["late"].pk]
    # another organisation's grant through the hidden filter: still nothing of theirs
    hidden = _rows(client.get(MINE, {"organisation": fund["theirs"].application.organisation_id}))
    assert {d.grant_id for d in hidden} == {fund["late"].pk, fund["sent"].pk}
    body = client.get(MINE).content.decode()
    submit = f'/grants/{fund["late"].pk}/reports/{due(fund["late"]).pk}/submit/'
    assert (submit in body) == (org_role != "viewer")
    # the report page of another organisation's grant is a 404
    theirs = fund["theirs"]
    assert client.get(f"/grants/{theirs.pk}/implementation/").status_code == 404
    assert client.get(f"/grants/{theirs.pk}/reports/{due(theirs).pk}/submit/"
                      ).status_code == 404
    assert client.get(MANAGE).status_code == 403


def test_who_may_not_see_the_lists(login, fund, reviewer, donor, board_member, secretariat):
    for user in (reviewer, donor):
        assert login(user).get(MANAGE).status_code == 403
        assert login(user).get(MINE).status_code == 403
    assert login(None).get(MANAGE).status_code == 302
    assert _count(login(board_member).get(MANAGE)) == 6
    redirected = login(secretariat).get(MINE, {"overdue": "1"})
    assert redirected.status_code == 302 and redirected.url == f"{MANAGE}?overdue=1"


def test_the_list_costs_the_same_queries_for_few_and_many_rows(login, secretariat, ngo,
                                                               organisation, fund):
    client = login(secretariat)
    few = queries_for_get(client, MANAGE)
    for _ in range(8):
        active_grant(organisation, ngo, secretariat)
    assert queries_for_get(client, MANAGE) == few
    member = login(ngo)
    few_mine = queries_for_get(member, MINE)
    make_grant(organisation)
    assert queries_for_get(member, MINE) == few_mine


# --- the converted lists the work queue links to ---------------------------------------


def test_the_portfolio_filters_show_and_remove(login, secretariat, fund, ngo):
    client = login(secretariat)
    response = client.get("/grants/portfolio/", {"reports": "overdue"})
    assert [g.pk for g in _rows(response)] == [fund["late"].pk]
    body = response.content.decode()
    assert "Remove the filter" in body and 'data-count="1"' in body
    assert {g.pk for g in _rows(client.get("/grants/portfolio/", {"overdue": "1"}))} == {
        fund["late"].pk}
    assert len(_rows(client.get("/grants/portfolio/", {"country": "NG"}))) == 3
    assert "Nigeria" in client.get("/grants/portfolio/").content.decode()
    assert len(_rows(client.get("/grants/portfolio/", {"status": "active"}))) == 3
    # an NGO has the status and report filters, not the secretariat's
    mine = login(ngo).get("/grants/portfolio/", {"payment": "due", "status": "active"})
    assert {g.pk for g in _rows(mine)} == {fund["late"].pk, fund["sent"].pk}


def test_the_portfolio_costs_the_same_queries_with_filters(login, secretariat, ngo,
                                                           organisation, fund):
    client = login(secretariat)
    params = {"payment": "due", "bank": "unconfirmed", "countersign": "1"}
    few = queries_for_get(client, "/grants/portfolio/", params)
    for _ in range(5):
        active_grant(organisation, ngo, secretariat)
    assert queries_for_get(client, "/grants/portfolio/", params) == few


def test_the_pledge_list_outstanding_and_the_monitor_failed(login, secretariat):
    from donors.models import Donor, Pledge

    giver = Donor.objects.create(name="Kingdom of Norway", donor_type="government",
                                 country="NO")
    today = timezone.localdate()
    common = dict(donor=giver, currency="USD", exchange_rate=1, amount=1000, amount_usd=1000,
                  year_from=today.year, year_to=today.year, pledged_on=today)
    Pledge.objects.create(**common)
    Pledge.objects.create(status="paid", paid_amount=1000, **common)
    client = login(secretariat)
    response = client.get("/funding/pledges/", {"outstanding": "1"})
    assert _count(response) == 1 and "Not yet received in full" in response.content.decode()
    assert _count(client.get("/funding/pledges/")) == 2
    assert _count(client.get("/funding/pledges/", {"donor": giver.pk})) == 2
    Notification.objects.create(recipient=secretariat, kind="call_closed",
                                state=DeliveryState.FAILED, last_error="550")
    Notification.objects.create(recipient=secretariat, kind="call_closed")
    monitor = client.get("/notifications/delivery/", {"status": "failed"})
    assert _count(monitor) == 1 and "Remove the filter" in monitor.content.decode()
    assert _count(client.get("/notifications/delivery/", {"state": "failed"})) == 1
    assert _count(client.get("/notifications/delivery/")) == 2


def test_the_grants_api_filters_by_country_and_overdue(api, secretariat, other_ngo, fund):
    api.force_authenticate(secretariat)
    ids = lambda r: {g["id"] for g in r.json()["results"]}  # noqa: E731
    response = api.get("/api/v1/grants/", {"overdue": "true"})
    assert response.status_code == 200 and ids(response) == {fund["late"].pk}
    assert ids(api.get("/api/v1/grants/", {"country": "ng"})) == {
        fund["late"].pk, fund["sent"].pk, fund["theirs"].pk}
    assert ids(api.get("/api/v1/grants/", {"country": "KE"})) == set()
    assert api.get("/api/v1/grants/", {"country": "XX"}).status_code == 400
    assert api.get("/api/v1/grants/", {"overdue": "maybe"}).status_code == 400
    api.force_authenticate(other_ngo)
    assert ids(api.get("/api/v1/grants/", {"overdue": "true"})) == set()
