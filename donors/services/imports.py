"""Bulk import of contributions from a CSV or XLSX file (bank statement, finance export).

Two steps: a preview that says what would happen to each row (with its row number in the
file: the header is row 1), then the import, all or nothing. Rows whose bank reference is
already recorded with the same donor, amount, currency and date are skipped, so importing
the same file twice adds nothing; a bank reference recorded with other details is an error.
"""

import csv
import hashlib
import io
import uuid
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from donors.models import (
    Contribution,
    ContributionImport,
    Donor,
    Earmarking,
    Pledge,
    PledgeStatus,
    Theme,
)
from donors.money import parse_decimal
from donors.selectors.rates import RateBook
from donors.services.totals import totals_add
from fundapp.core.audit import audit_record
from fundapp.core import jobs
from fundapp.core.errors import StateConflict, ValidationFailed
from fundapp.core import formatting
from fundapp.core.formatting import colon, run_on
from fundapp.core.models import Job, JobKind
from grants.selectors.calls import calls_by_number

from .common import require_manager
from .contributions import (
    Checked,
    ContributionInput,
    build_contribution,
    check_contribution,
    receipt_numbers,
    thank,
)
from .pledges import pledges_settle
from .targets import milestones_check

MAX_BYTES = 25 * 1024 * 1024
MAX_ROWS = 200_000
CHUNK = 900  # ids per IN (...) query, within SQLite's variable limit
PREVIEW_LIMIT = 1000  # rows listed in a preview (errors first); counts cover every row

COLUMNS = {  # canonical name -> accepted spellings in the header
    "donor": ("donor", "donor_name", "name"),
    "donor_id": ("donor_id",),
    "amount": ("amount",),
    "currency": ("currency", "ccy"),
    "received_on": ("received_on", "date", "value_date", "date_received"),
    "exchange_rate": ("exchange_rate", "rate", "rate_to_usd"),
    "bank_reference": ("bank_reference", "reference", "bank_ref"),
    "pledge": ("pledge", "pledge_id"),
    "earmarking": ("earmarking",),
    "call": ("call", "call_number", "earmark_call"),
    "theme": ("theme", "earmark_theme"),
    "note": ("note", "notes", "description"),
}
REQUIRED = ("amount", "currency", "received_on", "bank_reference")
ALIASES = {alias: name for name, spellings in COLUMNS.items() for alias in spellings}
FIELD_LABELS = {
    "donor": gettext_lazy("donor"), "amount": gettext_lazy("amount"),
    "currency": gettext_lazy("currency"), "received_on": gettext_lazy("received_on"),
    "exchange_rate": gettext_lazy("exchange_rate"),
    "bank_reference": gettext_lazy("bank_reference"), "pledge": gettext_lazy("pledge"),
    "earmarking": gettext_lazy("earmarking"), "earmark_call": gettext_lazy("call"),
    "earmark_theme": gettext_lazy("theme"), "donor_id": gettext_lazy("donor_id"),
}


class Outcome:
    NEW = "new"
    DUPLICATE = "duplicate"
    ERROR = "error"


@dataclass
class RowOutcome:
    row: int
    status: str = Outcome.NEW
    messages: list[str] = field(default_factory=list)
    donor: str = ""
    amount: Decimal | None = None
    currency: str = ""
    received_on: date | None = None
    exchange_rate: Decimal | None = None
    amount_usd: Decimal | None = None
    bank_reference: str = ""
    receipt_number: str = ""
    refused: set[str] = field(default_factory=set, repr=False)

    def refuse(self, field_name: str, message: str) -> None:
        self.status = Outcome.ERROR
        self.refused.add(field_name)
        label = FIELD_LABELS.get(field_name, field_name)
        self.messages.append(f"{label}{colon()} {message}" if field_name != "__all__" else message)


@dataclass
class ImportPreview:
    file_name: str
    file_format: str = ""
    file_errors: list[str] = field(default_factory=list)
    rows: list[RowOutcome] = field(default_factory=list)
    work: list[tuple[RowOutcome, ContributionInput, Checked]] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def counts(self) -> dict[str, int]:
        return {s: self.count(s) for s in (Outcome.NEW, Outcome.DUPLICATE, Outcome.ERROR)}

    @property
    def total_usd(self) -> Decimal:
        return sum((r.amount_usd for r in self.rows
                    if r.status == Outcome.NEW and r.amount_usd), Decimal("0.00"))

    @property
    def ok(self) -> bool:
        return not self.file_errors and bool(self.rows) and not self.count(Outcome.ERROR)

    def listed(self, limit: int = PREVIEW_LIMIT) -> list[RowOutcome]:
        """Rows to show: errors first, then the others, in file order."""
        errors = [r for r in self.rows if r.status == Outcome.ERROR]
        others = [r for r in self.rows if r.status != Outcome.ERROR]
        return (errors + others)[:limit]

    def error_messages(self, limit: int = 50) -> list[str]:
        found = list(self.file_errors)
        for r in self.rows:
            if r.status == Outcome.ERROR:
                found.append(_("Row %(n)s: %(m)s") % {"n": r.row, "m": run_on(r.messages)})
        if len(found) > limit:
            found = found[:limit] + [_("… and %(n)s more.") % {"n": len(found) - limit}]
        return found


class FileRefused(Exception):
    pass


# --- reading the file ------------------------------------------------------------------

def import_summary(imported: int, skipped: int) -> str:
    """What an import did, in one sentence for its page and its job."""
    return ngettext(
        "%(n)s contribution imported, %(s)s already recorded and skipped.",
        "%(n)s contributions imported, %(s)s already recorded and skipped.",
        imported) % {"n": formatting.number(imported), "s": formatting.number(skipped)}


def _sniff_format(content: bytes, name: str) -> str:
    lower = name.lower()
    if content.startswith(b"PK\x03\x04"):
        return "xlsx"
    if content.startswith(b"\xd0\xcf\x11\xe0") or lower.endswith(".xls"):
        raise FileRefused(_("Old Excel files (.xls) are not read: save the sheet as .xlsx or "
                            "as CSV UTF-8."))
    if lower.endswith((".xlsx", ".xlsm")):
        raise FileRefused(_("This file is named .xlsx but is not an Excel workbook."))
    return "csv"


def _csv_rows(content: bytes) -> tuple[list[str], Iterator[tuple[int, list]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileRefused(_(
            "The file is not UTF-8 text (byte 0x%(byte)02X at position %(pos)s cannot be "
            "read): save it as “CSV UTF-8” and upload it again.")
            % {"byte": content[exc.start], "pos": exc.start}) from exc
    if "\x00" in text[:4096]:
        raise FileRefused(_("This does not look like a CSV file."))
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise FileRefused(_("The CSV file cannot be read: %(e)s") % {"e": exc}) from exc
    if header is None:
        raise FileRefused(_("The file is empty."))

    def rows():
        try:
            for cells in reader:
                yield reader.line_num, cells
        except csv.Error as exc:
            raise FileRefused(_("Line %(n)s of the CSV file cannot be read: %(e)s")
                              % {"n": reader.line_num, "e": exc}) from exc

    return header, rows()


def _xlsx_rows(content: bytes) -> tuple[list, Iterator[tuple[int, list]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileRefused(_("The Excel workbook cannot be opened: is it a valid .xlsx file?")
                          ) from exc
    sheet = book.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    header = next(values, None)
    if header is None:
        book.close()
        raise FileRefused(_("The first sheet of the workbook is empty."))

    def rows():
        try:
            for number, cells in enumerate(values, start=2):
                yield number, list(cells)
        finally:
            book.close()

    return list(header), rows()


def _columns(header: list) -> list[str | None]:
    """Canonical name of each column; raises FileRefused on unknown or missing columns."""
    names, unknown, seen = [], [], set()
    for cell in header:
        raw = str(cell or "").strip()
        key = raw.lower().replace(" ", "_").replace("-", "_")
        if not key:
            names.append(None)
            continue
        name = ALIASES.get(key)
        if name is None:
            unknown.append(raw)
        elif name in seen:
            raise FileRefused(_("The column “%(c)s” appears twice.") % {"c": raw})
        seen.add(name)
        names.append(name)
    missing = [c for c in REQUIRED if c not in seen]
    if "donor" not in seen and "donor_id" not in seen:
        missing.insert(0, "donor")
    if unknown or missing:
        parts = []
        if unknown:
            parts.append(ngettext("unknown column: %(c)s", "unknown columns: %(c)s", len(unknown))
                         % {"c": ", ".join(unknown)})
        if missing:
            parts.append(ngettext("missing column: %(c)s", "missing columns: %(c)s", len(missing))
                         % {"c": ", ".join(missing)})
        raise FileRefused(_("Wrong columns (%(problems)s). Expected: %(expected)s.") % {
            "problems": run_on(parts),
            "expected": "donor (or donor_id), amount, currency, received_on, bank_reference; "
                        "optional: exchange_rate, pledge, earmarking, call, theme, note"})
    return names


def read_table(content: bytes, name: str) -> tuple[str, list[tuple[int, dict]]]:
    if not content:
        raise FileRefused(_("The file is empty."))
    if len(content) > MAX_BYTES:
        raise FileRefused(_("The file is larger than %(mb)s MB: split it.")
                          % {"mb": MAX_BYTES // (1024 * 1024)})
    kind = _sniff_format(content, name)
    header, rows = _csv_rows(content) if kind == "csv" else _xlsx_rows(content)
    names = _columns(header)
    table = []
    for number, cells in rows:
        if all(c is None or str(c).strip() == "" for c in cells):
            continue
        table.append((number, {n: cells[i] if i < len(cells) else None
                               for i, n in enumerate(names) if n}))
        if len(table) > MAX_ROWS:
            raise FileRefused(_("More than %(n)s rows: split the file.") % {"n": MAX_ROWS})
    if not table:
        raise FileRefused(_("The file has a header but no rows."))
    return kind, table


# --- values in cells -----------------------------------------------------------------------

def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _decimal(value, places: int) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, float):
        value = repr(value)
    return parse_decimal(value, places=places)


def _date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if len(text) != 10:
        raise ValueError(text)
    return date.fromisoformat(text)


def _whole(value) -> int:
    text = _text(value)
    if not text.isdigit():
        raise ValueError(text)
    return int(text)


# --- looking things up for many rows at once ----------------------------------------------

def _chunks(values: list) -> Iterator[list]:
    for i in range(0, len(values), CHUNK):
        yield values[i:i + CHUNK]


class Lookups:
    def __init__(self, table: list[tuple[int, dict]]):
        ids, names, refs, pledges, calls = set(), set(), set(), set(), set()
        for _number, cells in table:
            self._collect(cells, ids, names, refs, pledges, calls)
        self.by_id = self._donors_by_id(ids)
        self.by_name = self._donors_by_name(names)
        self.existing = self._existing(refs)
        self.pledges = {p.pk: p for chunk in _chunks(sorted(pledges))
                        for p in Pledge.objects.filter(pk__in=chunk)}
        self.calls = self._calls(calls)

    @staticmethod
    def _collect(cells, ids, names, refs, pledges, calls) -> None:
        for key, bucket in (("donor_id", ids), ("pledge", pledges), ("call", calls)):
            text = _text(cells.get(key))
            if text.isdigit():
                bucket.add(int(text))
        if _text(cells.get("donor")):
            names.add(_text(cells.get("donor")).lower())
        if _text(cells.get("bank_reference")):
            refs.add(_text(cells.get("bank_reference"))[:64])

    @staticmethod
    def _donors_by_id(ids) -> dict[int, Donor]:
        return {d.pk: d for chunk in _chunks(sorted(ids))
                for d in Donor.objects.filter(pk__in=chunk)}

    @staticmethod
    def _donors_by_name(names) -> dict[str, list[Donor]]:
        found: dict[str, list[Donor]] = defaultdict(list)
        for chunk in _chunks(sorted(names)):
            for d in Donor.objects.annotate(lname=Lower("name")).filter(lname__in=chunk):
                found[d.lname].append(d)
        return found

    @staticmethod
    def _existing(refs) -> dict[str, tuple]:
        existing = {}
        for chunk in _chunks(sorted(refs)):
            for row in Contribution.objects.filter(bank_reference__in=chunk).values_list(
                    "bank_reference", "donor_id", "amount", "currency", "received_on",
                    "receipt_number"):
                existing[row[0]] = row[1:]
        return existing

    @staticmethod
    def _calls(numbers) -> dict:
        return calls_by_number(numbers)


# --- the preview -------------------------------------------------------------------------

def _donor(cells: dict, look: Lookups, out: RowOutcome) -> Donor | None:
    donor_id, name = _text(cells.get("donor_id")), _text(cells.get("donor"))
    if donor_id:
        donor = look.by_id.get(int(donor_id)) if donor_id.isdigit() else None
        if donor is None:
            out.refuse("donor_id", _("No donor has the id %(v)s.") % {"v": donor_id[:20]})
        return donor
    matches = look.by_name.get(name.lower(), [])
    if not name:
        out.refuse("donor", _("Enter the donor's name or id."))
    elif not matches:
        out.refuse("donor", _("Unknown donor “%(n)s”: add the donor first, or use its id.")
                   % {"n": name[:100]})
    elif len(matches) > 1:
        out.refuse("donor", _("Several donors are named “%(n)s”: use the donor_id column.")
                   % {"n": name[:100]})
    else:
        return matches[0]
    return None


def _parsed(cells: dict, look: Lookups, out: RowOutcome) -> ContributionInput:
    inp = ContributionInput(donor=_donor(cells, look, out), amount=None,
                            currency=_text(cells.get("currency")), received_on=None,
                            bank_reference=_text(cells.get("bank_reference")),
                            note=_text(cells.get("note")))
    try:
        inp.amount = _decimal(cells.get("amount"), 2) if _text(cells.get("amount")) else None
    except ValueError:
        out.refuse("amount", _("“%(v)s” is not an amount (use e.g. 250000.00).")
                   % {"v": _text(cells.get("amount"))[:30]})
    try:
        inp.received_on = _date(cells.get("received_on")) if cells.get("received_on") else None
    except ValueError:
        out.refuse("received_on", _("“%(v)s” is not a date: use YYYY-MM-DD.")
                   % {"v": _text(cells.get("received_on"))[:30]})
    if _text(cells.get("exchange_rate")):
        try:
            inp.exchange_rate = _decimal(cells.get("exchange_rate"), 10)
        except ValueError:
            out.refuse("exchange_rate", _("“%(v)s” is not a rate (use e.g. 1.0850).")
                       % {"v": _text(cells.get("exchange_rate"))[:30]})
    _parsed_links(cells, look, out, inp)
    return inp


def _parsed_links(cells: dict, look: Lookups, out: RowOutcome, inp: ContributionInput) -> None:
    pledge, call = _text(cells.get("pledge")), _text(cells.get("call"))
    theme = _text(cells.get("theme")).lower()
    if pledge:
        inp.pledge = look.pledges.get(int(pledge)) if pledge.isdigit() else None
        if inp.pledge is None:
            out.refuse("pledge", _("No pledge has the id %(v)s.") % {"v": pledge[:20]})
    earmarking = _text(cells.get("earmarking")).lower()
    inp.earmarking = earmarking or (Earmarking.CALL if call else Earmarking.THEME if theme
                                    else Earmarking.UNEARMARKED)
    if call:
        inp.earmark_call = look.calls.get(int(call)) if call.isdigit() else None
        if inp.earmark_call is None:
            out.refuse("earmark_call", _("No call has the number %(v)s.") % {"v": call[:20]})
    inp.earmark_theme = theme
    if theme and theme not in Theme.values:
        out.refuse("earmark_theme", _("Unknown theme “%(v)s” (use %(list)s).")
                   % {"v": theme[:30], "list": ", ".join(Theme.values)})


def _judge(number: int, cells: dict, look: Lookups, seen: dict[str, int],
           rates: RateBook) -> tuple[RowOutcome, ContributionInput, Checked]:
    out = RowOutcome(row=number)
    inp = _parsed(cells, look, out)
    checked = check_contribution(inp, rates.rate_on)
    for field_name, messages in {**checked.errors, **checked.conflicts}.items():
        if field_name in out.refused or (field_name == "donor" and "donor_id" in out.refused):
            continue  # already explained by the parsing step
        for message in messages:
            out.refuse(field_name, message)
    out.donor = inp.donor.name if inp.donor else _text(cells.get("donor"))
    out.amount, out.currency, out.received_on = inp.amount, inp.currency, inp.received_on
    out.exchange_rate, out.amount_usd = checked.rate, checked.amount_usd
    out.bank_reference = inp.bank_reference or ""
    _judge_reference(out, inp, look, seen)
    return out, inp, checked


def _judge_reference(out: RowOutcome, inp: ContributionInput, look: Lookups,
                     seen: dict[str, int]) -> None:
    ref = inp.bank_reference
    if not ref:
        out.refuse("bank_reference", _("Every imported row needs its bank reference."))
        return
    if ref in seen:
        out.refuse("bank_reference", _("Same bank reference as row %(n)s.") % {"n": seen[ref]})
        return
    seen[ref] = out.row
    known = look.existing.get(ref)
    if known is None or out.status == Outcome.ERROR:
        return
    donor_id, amount, currency, received_on, receipt = known
    out.receipt_number = receipt
    if (donor_id, amount, currency, received_on) == (
            getattr(inp.donor, "pk", None), inp.amount, inp.currency, inp.received_on):
        out.status = Outcome.DUPLICATE
        out.messages.append(_("Already recorded (receipt %(r)s): skipped.") % {"r": receipt})
    else:
        out.refuse("bank_reference", _("Already recorded with other details (receipt "
                                       "%(r)s): check the row.") % {"r": receipt})


def preview_content(content: bytes, name: str,
                    progress: Callable[[int, int], None] | None = None) -> ImportPreview:
    """What importing this file would do, row by row (reads the database, writes nothing);
    ``progress(rows checked, rows in all)`` hears how far it is (the background import)."""
    preview = ImportPreview(file_name=name)
    try:
        preview.file_format, table = read_table(content, name)
    except FileRefused as exc:
        preview.file_errors.append(str(exc))
        return preview
    look = Lookups(table)
    days = [d for d in (_safe_date(c.get("received_on")) for _n, c in table) if d]
    currencies = {_text(c.get("currency")).upper() for _n, c in table}
    rates = RateBook(currencies, min(days, default=date.today()), max(days, default=date.today()))
    seen: dict[str, int] = {}
    every = jobs.progress_every()
    for number, cells in table:
        out, inp, checked = _judge(number, cells, look, seen, rates)
        preview.rows.append(out)
        preview.work.append((out, inp, checked))
        if progress is not None and len(preview.rows) % every == 0:
            progress(len(preview.rows), len(table))
    if progress is not None:
        progress(len(preview.rows), len(table))
    return preview


def _safe_date(value) -> date | None:
    try:
        return _date(value) if value else None
    except ValueError:
        return None


# --- the import ----------------------------------------------------------------------------

def _read_upload(uploaded) -> tuple[bytes, str]:
    name = (getattr(uploaded, "name", "") or "upload").rsplit("/", 1)[-1][:200]
    size = getattr(uploaded, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ValidationFailed.on(
            "file", _("The file is larger than %(mb)s MB: split it.")
            % {"mb": MAX_BYTES // (1024 * 1024)})
    uploaded.seek(0)
    return uploaded.read(), name


def contribution_import_preview(*, actor, uploaded) -> tuple[ContributionImport, ImportPreview]:
    """Keep the upload for the import step and tell what importing it would do."""
    require_manager(actor)
    content, name = _read_upload(uploaded)
    preview = preview_content(content, name)
    batch = ContributionImport(
        file_name=name, file_format=preview.file_format or "?",
        sha256=hashlib.sha256(content).hexdigest(), rows=len(preview.rows),
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None)
    batch.file.save(_stored_name(preview.file_format), ContentFile(content), save=True)
    return batch, preview


def _stored_name(file_format: str) -> str:
    """A name of its own for every upload: two statements uploaded at once (or on several
    machines sharing one bucket) never compete for the same object."""
    return f"{uuid.uuid4().hex}.{file_format if file_format in ('csv', 'xlsx') else 'bin'}"


def batch_preview(batch: ContributionImport) -> ImportPreview:
    with batch.file.open("rb") as handle:
        return preview_content(handle.read(), batch.file_name)


def contribution_import_previews_purge(*, days: int = 7) -> int:
    """Delete uploads previewed more than ``days`` ago but never imported, with their files;
    safe to run at any time (task ``donors.purge_import_previews``)."""
    stale = ContributionImport.objects.filter(
        status=ContributionImport.Status.PREVIEWED,
        created_at__lt=timezone.now() - timedelta(days=days))
    count = 0
    for batch in stale:
        batch.file.delete(save=False)
        batch.delete()
        count += 1
    return count


@transaction.atomic
def contribution_import_run(*, actor, batch: ContributionImport) -> ImportPreview:
    """Import a previewed file: every new row or none."""
    require_manager(actor)
    batch = ContributionImport.objects.select_for_update().get(pk=batch.pk)
    if batch.status == ContributionImport.Status.IMPORTED:
        raise StateConflict(_("This file has already been imported."))
    preview = batch_preview(batch)
    _import(actor, batch, preview)
    return preview


@transaction.atomic
def contribution_import(*, actor, uploaded) -> tuple[ContributionImport, ImportPreview]:
    """Preview and import in one step (the API without ``dry_run``)."""
    require_manager(actor)
    content, name = _read_upload(uploaded)
    preview = preview_content(content, name)
    batch = ContributionImport.objects.create(
        file_name=name, file_format=preview.file_format or "?",
        sha256=hashlib.sha256(content).hexdigest(), rows=len(preview.rows),
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None)
    _import(actor, batch, preview)
    batch.file.save(_stored_name(preview.file_format), ContentFile(content), save=True)
    return batch, preview


def _import(actor, batch: ContributionImport, preview: ImportPreview) -> None:
    if not preview.ok:
        raise ValidationFailed(_("Nothing was imported: correct the file and try again."),
                               field_errors={"file": preview.error_messages()})
    work = [(out, inp, checked) for out, inp, checked in preview.work
            if out.status == Outcome.NEW]
    _recheck_pledges(work)
    created = _create(actor, batch, work)
    pledges_settle({c.pledge_id for c in created if c.pledge_id})
    batch.status, batch.imported_at = ContributionImport.Status.IMPORTED, timezone.now()
    batch.imported, batch.skipped = len(created), preview.count(Outcome.DUPLICATE)
    batch.total_usd = sum((c.amount_usd for c in created), Decimal("0.00"))
    batch.save()
    audit_record(actor=actor, verb="contribution.import", target=batch, after={
        "file": batch.file_name, "sha256": batch.sha256, "rows": batch.rows,
        "imported": batch.imported, "skipped": batch.skipped, "total_usd": batch.total_usd})
    for year in sorted({c.received_on.year for c in created}):
        milestones_check(year=year)
    _thank_all(created)


def _recheck_pledges(work) -> None:
    ids = sorted({inp.pledge.pk for _o, inp, _c in work if inp.pledge is not None})
    for chunk in _chunks(ids):
        cancelled = set(Pledge.objects.select_for_update().filter(
            pk__in=chunk, status=PledgeStatus.CANCELLED).values_list("pk", flat=True))
        if cancelled:
            raise StateConflict.on(
                "pledge", _("Pledge %(id)s was cancelled meanwhile: preview the file again.")
                % {"id": min(cancelled)})


def _create(actor, batch, work) -> list[Contribution]:
    by_year: dict[int, list] = defaultdict(list)
    for item in sorted(work, key=lambda w: (w[1].received_on, w[0].row)):
        by_year[item[1].received_on.year].append(item)
    objects = []
    for year in sorted(by_year):
        items = by_year[year]
        for (out, inp, checked), receipt in zip(items, receipt_numbers(year, len(items)),
                                                strict=True):
            out.receipt_number = receipt
            objects.append(build_contribution(inp, checked, actor=actor, receipt=receipt,
                                              batch=batch))
    try:
        with transaction.atomic():
            created = Contribution.objects.bulk_create(objects, batch_size=2000)
    except IntegrityError as exc:
        raise StateConflict(_("Some of these bank references were recorded meanwhile by "
                              "someone else: preview the file again.")) from exc
    totals_add(created)
    return created


def _thank_all(created: list[Contribution]) -> None:
    users: dict[int, list] = defaultdict(list)
    for chunk in _chunks(sorted({c.donor_id for c in created})):
        links = Donor.users.through.objects.filter(
            donor_id__in=chunk, user__is_active=True).select_related("user")
        for link in links:
            users[link.donor_id].append(link.user)
    for contribution in created:
        thank(contribution, users.get(contribution.donor_id, []))


# --- large files: checked and imported in the background ----------------------------------

IMPORT_JOB = "donors.contribution_import"


def _rows_in(content: bytes, name: str) -> int | None:
    try:
        return len(read_table(content, name)[1])
    except FileRefused:
        return None  # the preview says why


def contribution_import_upload(*, actor, uploaded) -> tuple[ContributionImport, Job | None]:
    """Keep the upload; a file of more than ``EXPORT_ASYNC_THRESHOLD`` rows is checked and
    imported (all or nothing) by a background job, with its progress and result on the
    job's page; a smaller one is previewed first, as ever."""
    require_manager(actor)
    content, name = _read_upload(uploaded)
    rows = _rows_in(content, name)
    if rows is None or rows <= jobs.threshold():
        return contribution_import_preview(actor=actor, uploaded=uploaded)[0], None
    with transaction.atomic():
        batch = ContributionImport(
            file_name=name, file_format=_sniff_format(content, name),
            sha256=hashlib.sha256(content).hexdigest(), rows=rows, uploaded_by=actor)
        batch.file.save(_stored_name(batch.file_format), ContentFile(content), save=True)
        job = jobs.job_start(actor=actor, handler=IMPORT_JOB, rows_total=rows,
                             label=_("Contributions from %(file)s") % {"file": name[:150]},
                             params={"batch": batch.pk})
    return batch, job


def contribution_import_or_start(*, actor, uploaded
                                 ) -> tuple[ContributionImport, ImportPreview | None, Job | None]:
    """The API's import: a file of at most ``EXPORT_ASYNC_THRESHOLD`` rows is imported at
    once (all or nothing, ``contribution_import``); a larger one is kept and imported by the
    same background job as the web's upload (``IMPORT_JOB``), whose progress and result
    ``/api/v1/jobs/{id}/`` gives. Returns ``(batch, preview, None)`` or
    ``(batch, None, job)``."""
    require_manager(actor)
    content, name = _read_upload(uploaded)
    rows = _rows_in(content, name)
    uploaded.seek(0)
    if rows is None or rows <= jobs.threshold():
        batch, preview = contribution_import(actor=actor, uploaded=uploaded)
        return batch, preview, None
    batch, job = contribution_import_upload(actor=actor, uploaded=uploaded)
    return batch, None, job


@transaction.atomic
def _import_checked(actor, batch_pk: int, preview: ImportPreview) -> ContributionImport:
    require_manager(actor)
    batch = ContributionImport.objects.select_for_update().get(pk=batch_pk)
    if batch.status == ContributionImport.Status.IMPORTED:
        raise StateConflict(_("This file has already been imported."))
    _import(actor, batch, preview)
    return batch


def _run_import_job(job: Job, progress) -> jobs.Outcome:
    """The background import: check every row (the progress), then import them all or none."""
    batch = ContributionImport.objects.get(pk=job.params["batch"])
    preview = batch_preview_with(batch, progress)
    if not preview.ok:
        return jobs.Outcome(
            error=_("Nothing was imported: correct the file and upload it again."),
            result={"errors": preview.error_messages(limit=200), "counts": preview.counts},
            rows=len(preview.rows))
    batch = _import_checked(job.requester, batch.pk, preview)
    return jobs.Outcome(rows=len(preview.rows), result={
        "imported": batch.imported, "skipped": batch.skipped,
        "total_usd": str(batch.total_usd), "counts": preview.counts,
        "summary": import_summary(batch.imported, batch.skipped),
        "next_url": f"{reverse('donors:contribution-list')}?sort=-receipt",
        "next_label": _("See the contributions")})


def batch_preview_with(batch: ContributionImport, progress) -> ImportPreview:
    with batch.file.open("rb") as handle:
        return preview_content(handle.read(), batch.file_name, progress=progress)


jobs.register(IMPORT_JOB, jobs.Handler(kind=JobKind.IMPORT, run=_run_import_job))
