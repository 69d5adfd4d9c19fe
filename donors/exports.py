"""Contributions as CSV or XLSX for the secretariat. Anonymous donors are "Anonymous
donor" in every export; the donor id column lets staff match rows to their records."""

import csv
import io
from collections.abc import Iterator

from django.utils.translation import gettext as _

from donors.models import Contribution, public_name
from fundapp.core.spreadsheet import safe_cell


def headers() -> list[str]:
    return [_("Receipt number"), _("Received on"), _("Donor id"), _("Donor"), _("Donor type"),
            _("Country"), _("Amount"), _("Currency"), _("Exchange rate to USD"),
            _("USD value"), _("Bank reference"), _("Earmarking"), _("Pledge id")]


def row(c: Contribution) -> list:
    return [c.receipt_number, c.received_on, c.donor_id,
            safe_cell(public_name(c.donor.name, c.donor.anonymous)),
            str(c.donor.get_donor_type_display()), c.donor.country.code or "", c.amount,
            c.currency, c.exchange_rate.normalize(), c.amount_usd,
            safe_cell(c.bank_reference or ""), c.earmark_label, c.pledge_id or ""]


def csv_lines(queryset) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(headers())
    yield "\ufeff" + flush()
    for contribution in queryset.iterator(chunk_size=2000):
        writer.writerow(row(contribution))
        yield flush()


def xlsx_bytes(queryset) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Contributions"))
    sheet.append(headers())
    for contribution in queryset.iterator(chunk_size=2000):
        sheet.append(row(contribution))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
