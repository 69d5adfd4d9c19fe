"""IATI 2.03 activities for the grants the fund makes.

One ``iati-activity`` per grant. Grants do not exist as records yet, so each APPROVED
application stands for one (identifier from its reference, the requested amount as the
commitment); disbursements appear once the grants capability records them. The element
order follows the 2.03 schema; codelists used: OrganisationType 40 (multilateral) and 22
(national NGO), OrganisationRole 1 (funding), 3 (extending), 4 (implementing),
ActivityStatus 2 (implementation), ActivityDateType 1/3 (planned start/end), Sector
vocabulary 1 code 15180 (ending violence against women and girls), BudgetType 1
(original), TransactionType 2 (outgoing commitment), FlowType 10 (ODA), FinanceType 110
(standard grant), AidType B03 (contributions to specific-purpose programmes), TiedStatus 5
(untied), CollaborationType 2 (multilateral).
"""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Min
from django.utils import timezone
from lxml import etree

REPORTING_ORG_REF = getattr(settings, "IATI_REPORTING_ORG_REF", "XM-DAC-41128")
REPORTING_ORG_NAME = "United Nations Office on Drugs and Crime (UNODC)"
FUND_NAME = ("United Nations Voluntary Trust Fund for Victims of Trafficking in Persons, "
             "Especially Women and Children")
SECTOR = "15180"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _sub(parent, tag: str, text: str | None = None, **attrs) -> etree._Element:
    element = etree.SubElement(parent, tag, {k.replace("_", "-"): str(v)
                                             for k, v in attrs.items()})
    if text is not None:
        element.text = text
    return element


def _narrative(parent, tag: str, text: str, **attrs) -> etree._Element:
    element = _sub(parent, tag, **attrs)
    _sub(element, "narrative", text or "—")
    return element


def _approved_applications():
    from grants.models import Application, ApplicationStatus

    apps = list(Application.objects.filter(status=ApplicationStatus.APPROVED)
                .select_related("organisation", "call").order_by("call__number", "reference",
                                                                 "pk"))
    decided = dict(Application.history.filter(status=ApplicationStatus.APPROVED,
                                              id__in=[a.pk for a in apps])
                   .values("id").annotate(on=Min("history_date")).values_list("id", "on"))
    return apps, decided


def _split(codes: list[str]) -> list[tuple[str, str]]:
    """Percentages that add up to exactly 100 (the IATI ruleset requires it)."""
    if not codes:
        return []
    base = round(100 / len(codes), 2)
    shares = [base] * len(codes)
    shares[-1] = round(100 - base * (len(codes) - 1), 2)
    return [(code, f"{share:g}") for code, share in zip(codes, shares, strict=True)]


def _activity(root, app, decided_at) -> None:
    today = timezone.localdate()
    committed = min((decided_at or app.updated_at).date(), today)
    start = app.start_date or committed
    end = start + timedelta(days=round((app.duration_months or 12) * 30.44))
    act = _sub(root, "iati-activity", default_currency="USD",
               last_updated_datetime=app.updated_at.isoformat(timespec="seconds"))
    act.set(XML_LANG, "en")
    _sub(act, "iati-identifier", f"{REPORTING_ORG_REF}-VTF-{app.reference or app.pk}")
    _narrative(act, "reporting-org", REPORTING_ORG_NAME, ref=REPORTING_ORG_REF, type="40")
    _narrative(act, "title", app.title)
    _narrative(act, "description", app.summary, type="1")
    _narrative(act, "participating-org", FUND_NAME, role="1", type="40")
    _narrative(act, "participating-org", REPORTING_ORG_NAME, ref=REPORTING_ORG_REF, role="3",
               type="40")
    _narrative(act, "participating-org", app.organisation.name, role="4", type="22")
    _sub(act, "activity-status", code=_status(start, end, today))
    _sub(act, "activity-date", type="1", iso_date=start.isoformat())
    _sub(act, "activity-date", type="3", iso_date=end.isoformat())
    for code, share in _split([c.code for c in app.countries]):
        _sub(act, "recipient-country", code=code, percentage=share)
    _sub(act, "sector", vocabulary="1", code=SECTOR, percentage="100")
    _sub(act, "collaboration-type", code="2")
    _sub(act, "default-flow-type", code="10")
    _sub(act, "default-finance-type", code="110")
    _sub(act, "default-aid-type", code="B03", vocabulary="1")
    _sub(act, "default-tied-status", code="5")
    _money(act, app, start, end, committed)


def _status(start: date, end: date, today: date) -> str:
    """ActivityStatus: 1 pipeline, 2 implementation, 3 finalisation."""
    if today < start:
        return "1"
    return "2" if today <= end else "3"


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


def _money(act, app, start: date, end: date, committed: date) -> None:
    total = app.requested_usd or Decimal("0")
    for first, last, value in budget_periods(start, end, total):
        budget = _sub(act, "budget", type="1", status="2")
        _sub(budget, "period-start", iso_date=first.isoformat())
        _sub(budget, "period-end", iso_date=last.isoformat())
        _sub(budget, "value", f"{value:.2f}", currency="USD", value_date=first.isoformat())
    amount = f"{total:.2f}"
    transaction = _sub(act, "transaction")
    _sub(transaction, "transaction-type", code="2")
    _sub(transaction, "transaction-date", iso_date=committed.isoformat())
    _sub(transaction, "value", amount, currency="USD", value_date=committed.isoformat())
    _narrative(transaction, "description", "Grant approved by the Board of Trustees")
    _narrative(transaction, "receiver-org", app.organisation.name, type="22")


def activities_xml() -> bytes | None:
    """The XML document, or None when there is no grant to publish (the schema requires
    at least one activity, so an empty file would not be valid IATI)."""
    root = etree.Element("iati-activities", {
        "version": "2.03",
        "generated-datetime": timezone.now().isoformat(timespec="seconds")})
    apps, decided = _approved_applications()
    if not apps:
        return None
    for app in apps:
        _activity(root, app, decided.get(app.pk))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
