"""The secretariat's work after the award (grants/selectors/work/grants.py): agreements to
countersign, bank details to confirm, payments due, reports to review, reports overdue; and
the pledges not yet received (donors) and notifications that failed (notifications). Each
count equals its linked list's count, and costs the same queries for 2 grants as for 20."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from donors.models import Pledge
from fundapp.core.work import work_queue_for
from fundapp.notifications.models import DeliveryState, Notification
from grants.models import ReportDue, Tranche
from grants.selectors.work.grants import _secretariat_grants
from grants.services.implementation import (
    agreement_accept,
    bank_details_set,
    disbursement_record,
    report_accept,
    report_submit,
)
from tests.factories import ngo_user
from tests.grants.implementation.helpers import active_grant, due, make_grant, report_data

pytestmark = pytest.mark.django_db


def _items(user) -> dict:
    return {i.code: i for i in work_queue_for(user)}


def _signed(organisation, ngo):
    grant = make_grant(organisation)
    agreement_accept(actor=ngo, grant=grant, signatory_name="Ada Obi",
                     signatory_title="Director")
    return grant


def _unconfirmed_bank(organisation, ngo, secretariat):
    grant = active_grant(organisation, ngo, secretariat, bank=False)
    bank_details_set(actor=ngo, grant=grant, account_holder="Safe Passage",
                     account_number="NG12 3456 7890 1234", bank_name="First Bank", swift="")
    return grant


def _pay_first_tranche(grant, secretariat, ref):
    tranche = grant.tranches.get(position=1)
    disbursement_record(actor=secretariat, grant=grant, tranche=tranche,
                        paid_on=timezone.localdate(), amount_usd=tranche.amount_usd,
                        reference=ref)


def _listed(client, url) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page"].paginator.count


def test_each_item_counts_what_its_list_shows(client, secretariat, organisation, ngo):
    signed = _signed(organisation, ngo)
    bank = _unconfirmed_bank(organisation, ngo, secretariat)
    paid = active_grant(organisation, ngo, secretariat)
    _pay_first_tranche(paid, secretariat, "PAY-1")
    make_grant(organisation)  # not signed yet: nothing for the secretariat

    items = _items(secretariat)
    assert items["agreements_to_countersign"].count == 1
    assert items["bank_details_to_confirm"].count == 1
    # the bank grant's first tranche is due on signature (its planned date passed); the paid
    # grant's second waits for the final report; the unsigned grants pay nothing yet
    assert (items["payments_due"].count, items["payments_due"].overdue) == (1, 1)
    client.force_login(secretariat)
    for code in ("agreements_to_countersign", "bank_details_to_confirm", "payments_due",
                 "reports_to_review", "reports_overdue", "pledges_outstanding",
                 "notifications_failed"):
        assert _listed(client, items[code].url) == items[code].count, code
    rows = client.get(items["agreements_to_countersign"].url).context["page"].object_list
    assert [g.pk for g in rows] == [signed.pk]
    rows = client.get(items["bank_details_to_confirm"].url).context["page"].object_list
    assert [g.pk for g in rows] == [bank.pk]
    assert [g.pk for g in client.get(items["payments_due"].url).context["page"]] == [bank.pk]


def test_a_tranche_after_a_report_is_due_once_the_report_is_accepted(secretariat,
                                                                       organisation, ngo):
    grant = active_grant(organisation, ngo, secretariat, tranches=[
        {"percent": Decimal("50"), "condition": "on_signature"},
        {"percent": Decimal("50"), "condition": "after_report_n", "report_number": 1}])
    _pay_first_tranche(grant, secretariat, "PAY-2")
    ReportDue.objects.filter(pk=due(grant).pk).update(
        due_date=timezone.localdate() - timedelta(days=3))
    Tranche.objects.filter(grant=grant, position=2).update(
        planned_date=timezone.localdate() + timedelta(days=10))
    items = _items(secretariat)
    assert items["payments_due"].count == 0
    assert (items["reports_overdue"].count, items["reports_overdue"].overdue) == (1, 1)
    report = report_submit(actor=ngo, grant=grant, report_due=due(grant), data=report_data())
    items = _items(secretariat)
    assert items["reports_overdue"].count == 0 and items["reports_to_review"].count == 1
    report_accept(actor=secretariat, report=report)
    items = _items(secretariat)
    assert items["reports_to_review"].count == 0
    assert (items["payments_due"].count, items["payments_due"].overdue) == (1, 0)


def test_pledges_outstanding_and_failed_deliveries(secretariat, donor):
    from donors.models import Donor

    giver = Donor.objects.create(name="Kingdom of Norway", donor_type="government",
                                 country="NO")
    today = timezone.localdate()
    common = dict(donor=giver, currency="USD", exchange_rate=1, year_from=today.year,
                  year_to=today.year, pledged_on=today - timedelta(days=60))
    Pledge.objects.create(amount=1000, amount_usd=1000, expected_on=today - timedelta(days=1),
                          **common)
    Pledge.objects.create(amount=2000, amount_usd=2000, expected_on=today + timedelta(days=9),
                          status="partly_paid", paid_amount=500, **common)
    Pledge.objects.create(amount=3000, amount_usd=3000, status="paid", paid_amount=3000,
                          **common)
    Pledge.objects.create(amount=4000, amount_usd=4000, status="cancelled", **common)
    Notification.objects.create(recipient=secretariat, kind="call_closed",
                                state=DeliveryState.FAILED, last_error="550")
    Notification.objects.create(recipient=secretariat, kind="call_closed",
                                state=DeliveryState.SENT, sent_at=timezone.now())
    items = _items(secretariat)
    assert (items["pledges_outstanding"].count, items["pledges_outstanding"].overdue) == (2, 1)
    assert items["notifications_failed"].count == 1
    assert items["notifications_failed"].url.endswith("?status=failed")


def test_only_the_secretariat_gets_these_items(organisation, ngo, reviewer, donor,
                                               board_member):
    for user in (ngo, reviewer, donor, board_member):
        items = work_queue_for(user)
        assert not {i.code for i in items} & {
            "agreements_to_countersign", "bank_details_to_confirm", "payments_due",
            "reports_to_review", "notifications_failed"}, user
        # a donor has its own "pledges outstanding" (its pledges), not the secretariat's
        assert not [i for i in items if i.code == "pledges_outstanding"
                    and "outstanding=1" in i.url and "/funding/pledges/" in i.url], user


def _queries(user) -> int:
    with CaptureQueriesContext(connection) as ctx:
        _secretariat_grants(user)
    return len(ctx.captured_queries)


def test_the_counts_cost_the_same_queries_for_2_grants_as_for_20(secretariat, organisation,
                                                                  ngo):
    def build(n):
        for _ in range(n):
            _signed(organisation, ngo)
            grant = active_grant(organisation, ngo, secretariat,
                                 start=timezone.localdate() - timedelta(days=400))
            report_submit(actor=ngo, grant=grant, report_due=due(grant), data=report_data())

    build(1)
    few = _queries(secretariat)
    build(9)
    assert _queries(secretariat) == few <= 6
    assert _items(secretariat)["agreements_to_countersign"].count == 10
    assert _items(secretariat)["reports_to_review"].count == 10


def test_another_organisations_member_is_not_counted_for_an_ngo(other_organisation):
    # the reports list of an organisation is its own: a member of another sees nothing
    from grants.selectors.reports import report_dues_visible_to

    make_grant(other_organisation)
    outsider = ngo_user(other_organisation, username="outsider")
    assert report_dues_visible_to(outsider).count() == 2
