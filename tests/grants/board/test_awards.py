from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from fundapp.core.audit import audit_trail_for
from fundapp.core.errors import NotAllowed, StateConflict, ValidationFailed
from grants.models import Grant, GrantStatus, ReportKind, TrancheCondition
from grants.services.awards import (
    add_months,
    grant_cancel,
    grant_period,
    grant_tranches_update,
    report_schedule,
    split_amounts,
)
from grants.services.board import board_session_close
from tests.grants.board.helpers import meeting, recommended_call, vote_all

pytestmark = pytest.mark.django_db


def award(secretariat, voters, chair, *amounts, **call_fields):
    call = recommended_call(included=amounts, reserve=(), **call_fields)
    session = meeting(call, secretariat)
    vote_all(session, voters)
    board_session_close(actor=chair, session=session)
    return list(Grant.objects.filter(call=call).order_by("sequence"))


def test_agreement_numbers_are_readable_unique_and_sequential_per_call(secretariat, chair,
                                                                       members):
    voters = [chair, *members[:2]]
    grants = award(secretariat, voters, chair, Decimal("50000"), Decimal("40000"), number=7)
    assert [g.agreement_number for g in grants] == ["VTF-7-001", "VTF-7-002"]
    other = award(secretariat, voters, chair, Decimal("30000"), number=12)
    assert other[0].agreement_number == "VTF-12-001"


@pytest.mark.parametrize("amount,first,second", [
    ("50000.00", "40000.00", "10000.00"),
    ("33333.33", "26666.66", "6666.67"),  # 26,666.664 rounds down; the rest is exact
    ("12345.67", "9876.54", "2469.13"),  # 9,876.536 rounds up
])
def test_the_default_tranches_are_80_on_signature_and_20_after_the_final_report(
        secretariat, chair, members, amount, first, second):
    grant = award(secretariat, [chair, *members[:2]], chair, Decimal(amount))[0]
    tranches = list(grant.tranches.all())
    assert [(t.percent, t.condition) for t in tranches] == [
        (Decimal("80.00"), TrancheCondition.ON_SIGNATURE),
        (Decimal("20.00"), TrancheCondition.AFTER_FINAL_REPORT)]
    assert [t.amount_usd for t in tranches] == [Decimal(first), Decimal(second)]
    assert sum(t.amount_usd for t in tranches) == grant.approved_usd == Decimal(amount)


def test_the_period_and_report_schedule_follow_the_application(secretariat, chair, members):
    call = recommended_call(included=(Decimal("50000"),), reserve=())
    app = call.applications.get()
    app.start_date, app.duration_months = date(2031, 1, 15), 18
    app.save()
    session = meeting(call, secretariat)
    vote_all(session, [chair, *members[:2]])
    board_session_close(actor=chair, session=session)
    grant = app.grant
    assert (grant.start_date, grant.end_date) == (date(2031, 1, 15), date(2032, 7, 14))
    reports = {r.kind: r.due_date for r in grant.reports_due.all()}
    assert reports == {ReportKind.INTERIM: date(2031, 10, 15),  # day 273 of 546
                       ReportKind.FINAL: date(2032, 9, 14)}  # two months after the end
    first, last = grant.tranches.all()
    assert (first.planned_date, last.planned_date) == (date(2031, 1, 15), date(2032, 9, 14))
    assert grant.status == GrantStatus.PENDING_SIGNATURE


def test_a_start_date_already_past_moves_to_the_next_month():
    today = date(2030, 5, 20)
    assert grant_period(date(2030, 1, 1), 12, today) == (date(2030, 6, 1), date(2031, 5, 31))
    assert grant_period(None, 6, today) == (date(2030, 6, 1), date(2030, 11, 30))


def test_month_arithmetic_keeps_the_end_of_short_months():
    assert add_months(date(2031, 1, 31), 1) == date(2031, 2, 28)
    assert add_months(date(2032, 12, 15), 2) == date(2033, 2, 15)
    assert report_schedule(date(2031, 1, 1), date(2031, 12, 31))[0][2] == date(2031, 7, 2)


def test_split_amounts_always_add_up_exactly():
    for total in ("0.05", "100.00", "99999.99", "123456.78"):
        parts = split_amounts(Decimal(total), [Decimal("33.33"), Decimal("33.33"),
                                               Decimal("33.34")])
        assert sum(parts) == Decimal(total)


@pytest.fixture
def grant(secretariat, chair, members):
    return award(secretariat, [chair, *members[:2]], chair, Decimal("50000"))[0]


def test_the_secretariat_edits_the_tranches_before_signature(grant, secretariat):
    grant_tranches_update(actor=secretariat, grant=grant, tranches=[
        {"percent": "40", "condition": TrancheCondition.ON_SIGNATURE},
        {"percent": "40", "condition": TrancheCondition.AFTER_REPORT_N, "report_number": 1},
        {"percent": "20", "condition": TrancheCondition.AFTER_FINAL_REPORT}])
    tranches = list(grant.tranches.all())
    assert [t.amount_usd for t in tranches] == [Decimal("20000.00")] * 2 + [Decimal("10000.00")]
    interim = grant.reports_due.get(kind=ReportKind.INTERIM)
    assert tranches[1].planned_date == interim.due_date
    assert audit_trail_for(grant).filter(verb="grant.tranches").count() == 1


@pytest.mark.parametrize("tranches", [
    [{"percent": "80", "condition": "on_signature"}],  # 80 %
    [{"percent": "50", "condition": "on_signature"}, {"percent": "50", "condition": "nope"}],
    [{"percent": "0", "condition": "on_signature"},
     {"percent": "100", "condition": "after_final_report"}],
    [{"percent": "50", "condition": "on_signature"},
     {"percent": "50", "condition": "after_report_n", "report_number": 3}],  # no report 3
    [{"percent": "33.333", "condition": "on_signature"},
     {"percent": "66.667", "condition": "after_final_report"}],
    [{"percent": "abc", "condition": "on_signature"}],
    [{"percent": "150", "condition": "on_signature"},
     {"percent": "-50", "condition": "after_final_report"}],
])
def test_bad_tranche_schedules_are_refused(grant, secretariat, tranches):
    with pytest.raises(ValidationFailed):
        grant_tranches_update(actor=secretariat, grant=grant, tranches=tranches)
    assert grant.tranches.count() == 2


def test_tranches_are_frozen_once_signed_and_only_the_secretariat_edits(grant, secretariat,
                                                                        chair):
    spec = [{"percent": "100", "condition": "on_signature"}]
    with pytest.raises(NotAllowed):
        grant_tranches_update(actor=chair, grant=grant, tranches=spec)
    Grant.objects.filter(pk=grant.pk).update(status=GrantStatus.ACTIVE)
    with pytest.raises(StateConflict):
        grant_tranches_update(actor=secretariat, grant=grant, tranches=spec)


def test_a_grant_is_cancelled_with_a_reason(grant, secretariat):
    with pytest.raises(ValidationFailed):
        grant_cancel(actor=secretariat, grant=grant, reason=" ")
    cancelled = grant_cancel(actor=secretariat, grant=grant, reason="The NGO closed.")
    assert cancelled.status == GrantStatus.CANCELLED and cancelled.cancelled_at <= timezone.now()
    with pytest.raises(StateConflict):
        grant_cancel(actor=secretariat, grant=grant, reason="Again")
    assert grant.history.count() == 2
    assert cancelled.start_date - timedelta(days=1) < cancelled.end_date
