"""Builders for grants in implementation: a grant as the board's closing leaves it."""

import itertools
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from grants.models import ApplicationStatus, Grant, GrantStatus, ReportDue, ReportKind
from grants.services.awards import DEFAULT_TRANCHES, _write_tranches
from grants.services.implementation import (
    ReportInput,
    agreement_accept,
    agreement_countersign,
    bank_details_confirm,
    bank_details_set,
)
from tests.factories import ApplicationFactory

SEQUENCE = itertools.count(1)


def make_grant(organisation, *, amount="50000.00", start=None, months=12, tranches=None,
               status=GrantStatus.PENDING_SIGNATURE, countries=("NG",)) -> Grant:
    start = start or timezone.localdate() - timedelta(days=30)
    app = ApplicationFactory(organisation=organisation, status=ApplicationStatus.APPROVED,
                             requested_usd=Decimal(amount), countries=list(countries),
                             submitted_at=timezone.now() - timedelta(days=90))
    n = next(SEQUENCE)
    grant = Grant.objects.create(
        application=app, call=app.call, sequence=n, agreement_number=f"VTF-T-{n:04d}",
        approved_usd=Decimal(amount), start_date=start,
        end_date=start + timedelta(days=30 * months), status=status)
    ReportDue.objects.create(grant=grant, kind=ReportKind.INTERIM, number=1,
                             due_date=start + timedelta(days=15 * months))
    ReportDue.objects.create(grant=grant, kind=ReportKind.FINAL, number=1,
                             due_date=start + timedelta(days=30 * months + 60))
    _write_tranches(grant, [dict(t) for t in (tranches or DEFAULT_TRANCHES)])
    return grant


def active_grant(organisation, ngo, secretariat, *, bank=True, **kwargs) -> Grant:
    grant = make_grant(organisation, **kwargs)
    agreement_accept(actor=ngo, grant=grant, signatory_name="Ada Obi",
                     signatory_title="Executive Director")
    agreement_countersign(actor=secretariat, grant=grant)
    if bank:
        bank_details_set(actor=ngo, grant=grant, account_holder="Safe Passage",
                         account_number="NG12 3456 7890 1234", bank_name="First Bank",
                         swift="FBNINGLA")
        bank_details_confirm(actor=secretariat, grant=grant)
    grant.refresh_from_db()
    return grant


def report_data(**overrides) -> ReportInput:
    fields = {
        "achievements": "Shelter for 120 survivors.", "challenges": "Floods.",
        "lessons": "Work with labour inspectors.", "victims_total": 120,
        "expenditure": [
            {"category": "shelter", "approved_usd": "30000.00", "spent_usd": "28000.50"},
            {"category": "personnel", "approved_usd": "20000.00", "spent_usd": "20000.00"}],
        "by_group": {"women": 60, "girls": 30, "men": 20, "boys": 10},
        "by_service": {"shelter": 120, "legal": 45},
    }
    return ReportInput(**(fields | overrides))


def due(grant, kind=ReportKind.INTERIM) -> ReportDue:
    return grant.reports_due.get(kind=kind, number=1)


def today() -> date:
    return timezone.localdate()
