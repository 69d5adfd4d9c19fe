"""Contributions as CSV or XLSX for the secretariat, through the one writer
(``fundapp.core.exports``). Anonymous donors are "Anonymous donor" in every export; the
donor id column lets staff match rows to their records."""

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from fundapp.core import exports
from fundapp.core.exports import DATE, MONEY, NUMBER, Column


def contribution_columns() -> list[Column]:
    return [
        Column(_("Receipt number"), "receipt_number"),
        Column(_("Received on"), "received_on", DATE),
        Column(_("Donor id"), "donor_id", NUMBER),
        Column(_("Donor"), lambda c: c.donor.public_name),
        Column(_("Donor type"), "donor.get_donor_type_display"),
        Column(_("Country"), lambda c: c.donor.country.code or ""),
        Column(_("Amount"), "amount", NUMBER),
        Column(_("Currency"), "currency"),
        Column(_("Exchange rate to USD"), lambda c: c.exchange_rate.normalize(), NUMBER),
        Column(_("USD value"), "amount_usd", MONEY),
        Column(_("Bank reference"), "bank_reference"),
        Column(_("Earmarking"), "earmark_label"),
        Column(_("Pledge id"), "pledge_id", NUMBER),
    ]


def donor_columns() -> list[Column]:
    """The donor list (rows through ``donors.selectors.donors.with_totals``)."""
    return [
        Column(_("Donor"), lambda d: d.public_name),
        Column(_("Donor type"), "get_donor_type_display"),
        Column(_("Country"), lambda d: d.country.code or ""),
        Column(_("Contributions"), "contribution_count", NUMBER),
        Column(_("Total received (USD)"), "total_usd", MONEY),
    ]


def pledge_columns() -> list[Column]:
    return [
        Column(_("Pledge id"), "pk", NUMBER),
        Column(_("Donor"), lambda p: p.donor.public_name),
        Column(_("Pledged on"), "pledged_on", DATE),
        Column(_("First year covered"), "year_from", NUMBER),
        Column(_("Last year covered"), "year_to", NUMBER),
        Column(_("Amount"), "amount", NUMBER),
        Column(_("Currency"), "currency"),
        Column(_("Indicative USD value"), "amount_usd", MONEY),
        Column(_("Paid so far"), "paid_amount", NUMBER),
        Column(_("Payment expected on"), "expected_on", DATE),
        Column(_("Status"), "get_status_display"),
    ]


def rate_columns() -> list[Column]:
    return [Column(_("Currency"), "currency"),
            Column(_("Valid on"), "valid_on", DATE),
            Column(_("Rate to USD"), "rate", NUMBER),
            Column(_("Source"), "source")]


def csv_lines(queryset) -> Iterator[bytes]:
    """The contributions' CSV, streamed."""
    return exports.csv_chunks(queryset, contribution_columns())


def xlsx_bytes(queryset) -> bytes:
    return exports.to_bytes("xlsx", queryset, contribution_columns(),
                            title=str(_("Contributions")))
