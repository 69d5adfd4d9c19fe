"""IATI 2.03 activities for the grants the fund makes: one ``iati-activity`` per grant.

The grants come from ``grants.selectors.impact.published_grants`` and the refunds from
``impact.refunds``, the sources of the fund summary too, so the file's disbursements add up
to ``cumulative_disbursed_usd`` and each year's to that year's ``disbursed_usd``.

Element order follows the 2.03 schema. Codelists used: OrganisationType 40 (multilateral)
and 22 (national NGO); OrganisationRole 1 (funding), 3 (extending), 4 (implementing);
ActivityStatus 1-6 from the grant's status; ActivityDateType 1/3 (planned start/end) from
the grant and 2/4 (actual start/end) once they happened; Sector vocabulary 1 (DAC 5-digit)
from the services the project offers; BudgetType 1 (original); TransactionType 2 (outgoing
commitment: the approved amount) and 3 (disbursement: each payment). TransactionType has no
code for a refund: an unspent balance returned to the fund is a disbursement with a negative
value, as IATI reports reversals (1 "incoming funds" is money received for use on the
activity, 4 "expenditure" money spent on it). FlowType 10 (ODA), FinanceType 110 (standard
grant), AidType B03 (specific-purpose programmes), TiedStatus 5 (untied),
CollaborationType 2 (multilateral); ResultType 1 (output) and IndicatorMeasure 1 (unit)
for the victims assisted in the NGOs' accepted reports.
"""

import re
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils import timezone
from lxml import etree

REPORTING_ORG_REF = getattr(settings, "IATI_REPORTING_ORG_REF", "XM-DAC-41128")
REPORTING_ORG_NAME = "United Nations Office on Drugs and Crime (UNODC)"
FUND_NAME = ("United Nations Voluntary Trust Fund for Victims of Trafficking in Persons, "
             "Especially Women and Children")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# DAC 5-digit purpose codes (IATI Sector codelist) for the services a project offers.
SERVICE_SECTORS = {
    "identification": "15160",  # Human rights: programmes for victims of trafficking
    "legal": "15130",  # Legal and judicial development: legal aid and counsel
    "shelter": "16010",  # Social protection: special programmes for vulnerable groups
    "medical": "12220",  # Basic health care
    "psychological": "12340",  # Promotion of mental health and well-being
    "reintegration": "16010",  # Social protection
    "other": "15160",
}
DEFAULT_SECTOR = "15160"
# GrantStatus -> ActivityStatus
# A terminated grant ended before completion: "5" (cancelled), with its actual end date.
ACTIVITY_STATUS = {"pending_signature": "1", "active": "2", "closing": "3", "closed": "4",
                   "cancelled": "5", "suspended": "6", "terminated": "5"}
STARTED = ("active", "closing", "closed", "suspended", "terminated")
# Victim group -> (sex, age) dimensions of the results.
GROUP_DIMENSIONS = {"women": ("female", "adult"), "girls": ("female", "child"),
                    "men": ("male", "adult"), "boys": ("male", "child")}
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _sub(parent, tag: str, text: str | None = None, **attrs) -> etree._Element:
    element = etree.SubElement(parent, tag, {k.replace("_", "-"): str(v)
                                             for k, v in attrs.items()})
    if text is not None:
        element.text = NOT_XML.sub("", text)
    return element


def _narrative(parent, tag: str, text: str, **attrs) -> etree._Element:
    element = _sub(parent, tag, **attrs)
    _sub(element, "narrative", (text or "").strip() or "—")
    return element


def _day(moment: datetime | None) -> date | None:
    return moment.astimezone(UTC).date() if moment else None


def _related(obj, name: str):
    """A reverse one-to-one that may be missing (``select_related`` already fetched it)."""
    try:
        return getattr(obj, name)
    except obj._meta.get_field(name).related_model.DoesNotExist:
        return None


def _split(codes: list[str]) -> list[tuple[str, str]]:
    """Percentages that add up to exactly 100 (the IATI ruleset requires it)."""
    if not codes:
        return []
    base = round(100 / len(codes), 2)
    shares = [base] * len(codes)
    shares[-1] = round(100 - base * (len(codes) - 1), 2)
    return [(code, f"{share:g}") for code, share in zip(codes, shares, strict=True)]


def sectors_for(services) -> list[str]:
    """The DAC codes of a project's services, each once, in a stable order."""
    codes = sorted({SERVICE_SECTORS[s] for s in services or [] if s in SERVICE_SECTORS})
    return codes or [DEFAULT_SECTOR]


def identifier(grant) -> str:
    return f"{REPORTING_ORG_REF}-" + re.sub(r"[^A-Za-z0-9._-]", "-", grant.agreement_number)


def budget_periods(start: date, end: date, total: Decimal) -> list[tuple[date, date, Decimal]]:
    """Budget periods of at most a year (IATI rule), the amount shared by their length."""
    spans, first = [], start
    while first <= end:
        last = min(end, first + timedelta(days=364))
        spans.append((first, last))
        first = last + timedelta(days=1)
    days = sum((b - a).days + 1 for a, b in spans)
    values = [(total * ((b - a).days + 1) / days).quantize(Decimal("0.01"), ROUND_HALF_UP)
              for a, b in spans]
    values[-1] = total - sum(values[:-1], Decimal("0"))
    return [(a, b, v) for (a, b), v in zip(spans, values, strict=True)]


# --- one activity ------------------------------------------------------------------------

def committed_on(grant, today: date) -> date:
    """The Board's decision (its session's closing), else the signature, else the grant's
    creation; never after the first payment nor in the future."""
    item = grant.agenda_item
    signature = _related(grant, "signature")
    decided = (_day(item.session.closed_at) if item and item.session.closed_at else None) \
        or (_day(signature.signed_at) if signature else None) or _day(grant.created_at)
    payments = [p.paid_on for p in grant.payments]
    return min([decided, today, *payments])


def _updated(grant) -> datetime:
    signature, closure = _related(grant, "signature"), _related(grant, "closure")
    signed = (signature.signed_at, signature.countersigned_at) if signature else ()
    moments = [grant.created_at, grant.cancelled_at, grant.suspended_at,
               grant.terminated_at, *signed,
               closure.closed_at if closure else None,
               *(p.recorded_at for p in grant.payments),
               *(r.reviewed_at for r in grant.accepted_reports)]
    return max(m for m in moments if m)


def _activity(root, grant, refunds: list, today: date) -> None:
    app = grant.application
    act = _sub(root, "iati-activity", default_currency="USD",
               last_updated_datetime=_updated(grant).isoformat(timespec="seconds"))
    act.set(XML_LANG, "en")
    _sub(act, "iati-identifier", identifier(grant))
    _narrative(act, "reporting-org", REPORTING_ORG_NAME, ref=REPORTING_ORG_REF, type="40")
    _narrative(act, "title", app.title)
    _narrative(act, "description", app.summary, type="1")
    _narrative(act, "participating-org", FUND_NAME, role="1", type="40")
    _narrative(act, "participating-org", REPORTING_ORG_NAME, ref=REPORTING_ORG_REF, role="3",
               type="40")
    _narrative(act, "participating-org", app.organisation.name, role="4", type="22")
    _sub(act, "activity-status", code=ACTIVITY_STATUS.get(grant.status, "2"))
    _dates(act, grant, today)
    for code, share in _split([c.code for c in app.countries]):
        _sub(act, "recipient-country", code=code, percentage=share)
    for code, share in _split(sectors_for(app.services)):
        _sub(act, "sector", vocabulary="1", code=code, percentage=share)
    _sub(act, "collaboration-type", code="2")
    _sub(act, "default-flow-type", code="10")
    _sub(act, "default-finance-type", code="110")
    _sub(act, "default-aid-type", code="B03", vocabulary="1")
    _sub(act, "default-tied-status", code="5")
    _budgets(act, grant)
    _transactions(act, grant, refunds, today)
    _results(act, grant)


def _dates(act, grant, today: date) -> None:
    _sub(act, "activity-date", type="1", iso_date=grant.start_date.isoformat())
    if (grant.status in STARTED or grant.payments) and grant.start_date <= today:
        _sub(act, "activity-date", type="2", iso_date=grant.start_date.isoformat())
    _sub(act, "activity-date", type="3", iso_date=grant.end_date.isoformat())
    closure = _related(grant, "closure")
    ended = _day(closure.closed_at) if closure else _day(
        grant.terminated_at or grant.cancelled_at)
    if ended and grant.status in ("closed", "cancelled", "terminated"):
        _sub(act, "activity-date", type="4", iso_date=min(ended, today).isoformat())


def _budgets(act, grant) -> None:
    for first, last, value in budget_periods(grant.start_date, grant.end_date,
                                             grant.approved_usd):
        budget = _sub(act, "budget", type="1", status="2")
        _sub(budget, "period-start", iso_date=first.isoformat())
        _sub(budget, "period-end", iso_date=last.isoformat())
        _sub(budget, "value", f"{value:.2f}", currency="USD", value_date=first.isoformat())


def _transaction(act, code: str, day: date, amount: Decimal, description: str, ngo: str):
    transaction = _sub(act, "transaction")
    _sub(transaction, "transaction-type", code=code)
    _sub(transaction, "transaction-date", iso_date=day.isoformat())
    _sub(transaction, "value", f"{amount:.2f}", currency="USD", value_date=day.isoformat())
    _narrative(transaction, "description", description)
    _narrative(transaction, "provider-org", FUND_NAME, type="40")
    _narrative(transaction, "receiver-org", ngo, type="22")


def _transactions(act, grant, refunds: list, today: date) -> None:
    ngo = grant.application.organisation.name
    _transaction(act, "2", committed_on(grant, today), grant.approved_usd,
                 "Grant approved by the Board of Trustees", ngo)
    for payment in grant.payments:
        _transaction(act, "3", payment.paid_on, payment.amount_usd,
                     f"Tranche {payment.tranche.position} paid to the organisation", ngo)
    for refund in refunds:
        _transaction(act, "3", refund.received_on, -refund.amount_usd,
                     "Unspent balance refunded to the fund", ngo)


def _results(act, grant) -> None:
    reports = [r for r in grant.accepted_reports if r.submitted_at]
    if not reports:
        return
    result = _sub(act, "result", type="1", aggregation_status="1")
    _narrative(result, "title", "Victims of trafficking assisted")
    indicator = _sub(result, "indicator", measure="1", ascending="1")
    _narrative(indicator, "title", "Victims assisted, as reported by the organisation and "
                                   "accepted by the fund")
    first = grant.start_date
    for report in reports:
        last = max(first, _day(report.submitted_at))
        period = _sub(indicator, "period")
        _sub(period, "period-start", iso_date=first.isoformat())
        _sub(period, "period-end", iso_date=last.isoformat())
        _sub(period, "actual", value=str(report.victims_total))
        for row in report.indicators.all():
            if row.dimension == "group" and row.key in GROUP_DIMENSIONS:
                sex, age = GROUP_DIMENSIONS[row.key]
                actual = _sub(period, "actual", value=str(row.count))
                _sub(actual, "dimension", name="sex", value=sex)
                _sub(actual, "dimension", name="age", value=age)
        first = last + timedelta(days=1)


# --- the file ----------------------------------------------------------------------------

def activities_xml() -> bytes | None:
    """The XML document, or None when there is no grant to publish (the schema requires
    at least one activity, so an empty file would not be valid IATI)."""
    from grants.selectors import impact

    grants = impact.published_grants()
    if not grants:
        return None
    by_grant: dict[int, list] = {}
    for refund in impact.refunds():
        by_grant.setdefault(refund.grant_id, []).append(refund)
    today = timezone.now().astimezone(UTC).date()
    root = etree.Element("iati-activities", {
        "version": "2.03",
        "generated-datetime": timezone.now().isoformat(timespec="seconds")})
    for grant in grants:
        _activity(root, grant, by_grant.get(grant.pk, []), today)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
