"""The UN Security Council Consolidated List: importing it and matching organisations against it.

Parsing is safe by construction: lxml with entity resolution, DTD loading and network access
off, and any DOCTYPE refused (the real list has none), so an uploaded file cannot expand
entities, read local files or reach the network.

Matching uses RapidFuzz's ``token_set_ratio`` on names normalised by ``default_process``
(lower case, punctuation removed). A score of ``MATCH_THRESHOLD`` (88) or more out of 100 is a
*possible* match: high enough to catch re-ordered names, dropped or extra words and
punctuation ("Crescent Relief Foundation" / "CRESCENT RELIEF AND HOPE FOUNDATION": 100) and
transliteration variants ("Ibrahim Karim" / alias "Ibrahim Kareem": 89), yet high enough that
names sharing one common word are not flagged ("Hope Trust" / "Al-Hilal Charitable Trust":
67; "Ibrahim Musa" / "IBRAHIM MOUSSA KAREEM": 74).
Organisation and former names are compared with listed entities, key people (the contact
person) with listed individuals, each with every alias. A possible match is a question for a
person, never an automatic refusal: it blocks eligibility until the secretariat clears it
with a reason.
"""

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from lxml import etree
from rapidfuzz import fuzz, process, utils

from fundapp.accounts.roles import user_can
from fundapp.core.audit import audit_record
from fundapp.core.errors import NotAllowed, StateConflict, ValidationFailed
from fundapp.core.locks import lock
from grants.models import (
    ApplicationStatus,
    CheckCode,
    MatchSubject,
    Membership,
    Organisation,
    OrgRole,
    SanctionsEntry,
    SanctionsEntryKind,
    SanctionsList,
    SanctionsMatch,
    Screening,
)

MATCH_THRESHOLD = 88
MIN_NAME_LENGTH = 3  # after normalisation; shorter names match too much to mean anything
MAX_LIST_BYTES = 50 * 1024 * 1024
NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
CLEARABLE = (ApplicationStatus.SUBMITTED, ApplicationStatus.SCREENING)


@dataclass(frozen=True)
class ParsedList:
    generated_on: datetime | None
    entries: list[dict]


@dataclass(frozen=True)
class Hit:
    subject: str
    subject_value: str
    entry_kind: str
    entry_reference: str
    entry_name: str
    matched_name: str
    score: float


# --- parsing ---------------------------------------------------------------------------


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           dtd_validation=False, huge_tree=False, remove_pis=True,
                           remove_comments=True)


def _local(element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _text(element, name: str) -> str:
    for child in element:
        if _local(child) == name:
            return " ".join((child.text or "").split())
    return ""


def _aliases(element, alias_tag: str) -> list[str]:
    names = []
    for child in element:
        if _local(child) == alias_tag:
            names.append(_text(child, "ALIAS_NAME"))
        elif _local(child) == "NAME_ORIGINAL_SCRIPT":
            names.append(" ".join((child.text or "").split()))
    return names


def _entry(element, kind: str) -> dict | None:
    parts = NAME_PARTS if kind == SanctionsEntryKind.INDIVIDUAL else NAME_PARTS[:1]
    name = " ".join(p for p in (_text(element, part) for part in parts) if p)
    alias_tag = "INDIVIDUAL_ALIAS" if kind == SanctionsEntryKind.INDIVIDUAL else "ENTITY_ALIAS"
    aliases = list(dict.fromkeys(a for a in _aliases(element, alias_tag) if a and a != name))
    if not name and not aliases:
        return None
    return {"kind": kind, "name": (name or aliases[0])[:400], "aliases": aliases[:200],
            "reference_number": _text(element, "REFERENCE_NUMBER")[:40],
            "un_list_type": _text(element, "UN_LIST_TYPE")[:100],
            "listed_on": _listed_on(_text(element, "LISTED_ON"))}


def _listed_on(raw: str) -> date | None:
    try:
        return parse_date(raw[:10]) if raw else None
    except ValueError:  # well formed but no such day (2024-02-30): unknown, like a bad format
        return None


def parse_consolidated_list(data: bytes) -> ParsedList:
    """Entries of a Consolidated List XML document; ValidationFailed when it is not one."""
    if len(data) > MAX_LIST_BYTES:
        raise ValidationFailed.on("file", _("The file is larger than 50 MB."))
    try:
        root = etree.fromstring(data, _parser())
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise ValidationFailed.on(
            "file", _("This is not a readable XML file: %(error)s") % {"error": str(exc)[:200]}
        ) from None
    if root.getroottree().docinfo.doctype:
        raise ValidationFailed.on(
            "file", _("XML files with a DOCTYPE declaration are refused."))
    if _local(root) != "CONSOLIDATED_LIST":
        raise ValidationFailed.on(
            "file", _("This is not the UN Security Council Consolidated List (its root element "
                      "must be CONSOLIDATED_LIST)."))
    entries = []
    for group, item, kind in (("INDIVIDUALS", "INDIVIDUAL", SanctionsEntryKind.INDIVIDUAL),
                              ("ENTITIES", "ENTITY", SanctionsEntryKind.ENTITY)):
        for section in (c for c in root if _local(c) == group):
            for element in (c for c in section if _local(c) == item):
                entry = _entry(element, kind)
                if entry:
                    entries.append(entry)
    if not entries:
        raise ValidationFailed.on("file", _("The list has no entries."))
    return ParsedList(generated_on=_generated_on(root), entries=entries)


def _generated_on(root) -> datetime | None:
    raw = (root.get("dateGenerated") or "").strip()
    try:
        moment = parse_datetime(raw) if raw else None
        if moment is not None and timezone.is_naive(moment):
            moment = timezone.make_aware(moment, UTC)
        return moment.astimezone(UTC) if moment else None
    except (ValueError, OverflowError):  # e.g. year 1 at +05:00 is before the first UTC day
        return None


# --- importing -------------------------------------------------------------------------


@transaction.atomic
def sanctions_list_import(*, actor, data: bytes, source_name: str) -> SanctionsList:
    """Store a new list; it replaces the previous one's entries (matches keep their copy)."""
    if actor is not None and not user_can(actor, "sanctions.manage"):
        raise NotAllowed()
    parsed = parse_consolidated_list(data)
    counts = {kind: sum(1 for e in parsed.entries if e["kind"] == kind)
              for kind in SanctionsEntryKind.values}
    imported = SanctionsList.objects.create(
        source_name=source_name[-255:], generated_on=parsed.generated_on,
        sha256=hashlib.sha256(data).hexdigest(), imported_by=actor,
        individuals=counts[SanctionsEntryKind.INDIVIDUAL],
        entities=counts[SanctionsEntryKind.ENTITY])
    SanctionsEntry.objects.exclude(sanctions_list=imported).delete()
    SanctionsEntry.objects.bulk_create(
        [SanctionsEntry(sanctions_list=imported, **entry) for entry in parsed.entries],
        batch_size=500)
    audit_record(actor=actor, verb="sanctions.import", target=imported,
                 after={"file": imported.source_name, "sha256": imported.sha256,
                        "individuals": imported.individuals, "entities": imported.entities,
                        "generated_on": imported.generated_on})
    from grants.services.people import board_members_screen

    board_members_screen(sanctions_list=imported)
    return imported


def current_sanctions_list() -> SanctionsList | None:
    return SanctionsList.objects.order_by("-imported_at", "-id").first()


# --- matching --------------------------------------------------------------------------


def _subjects(organisation: Organisation) -> list[tuple[str, str, str]]:
    """(subject, our value, kind of listed entry to compare with): the names, the contact
    person and the organisation's admins (key people too)."""
    subjects = [(MatchSubject.NAME, organisation.name, SanctionsEntryKind.ENTITY)]
    for former in (organisation.former_names or "").splitlines():
        if former.strip():
            subjects.append((MatchSubject.FORMER_NAME, former.strip(), SanctionsEntryKind.ENTITY))
    people = [organisation.contact_name, *_admin_names(organisation)]
    for name in dict.fromkeys(n.strip() for n in people if n.strip()):
        subjects.append((MatchSubject.PERSON, name, SanctionsEntryKind.INDIVIDUAL))
    return subjects


def _admin_names(organisation: Organisation) -> list[str]:
    if organisation.pk is None:
        return []
    admins = (Membership.objects.filter(organisation=organisation, role=OrgRole.ADMIN,
                                        user__is_active=True)
              .select_related("user").order_by("pk"))
    return [m.user.get_full_name() for m in admins]


def person_subjects(name: str) -> list[tuple[str, str, str]]:
    """A person screened alone (a Board member): their name against listed individuals."""
    name = (name or "").strip()
    return [(MatchSubject.PERSON, name, SanctionsEntryKind.INDIVIDUAL)] if name else []


def _choices(entries: list[SanctionsEntry], kind: str) -> tuple[list[str], list]:
    names, owners = [], []
    for entry in entries:
        if entry.kind != kind:
            continue
        for name in [entry.name, *entry.aliases]:
            names.append(name)
            owners.append(entry)
    return names, owners


def sanctions_hits(organisation: Organisation, entries: list[SanctionsEntry]) -> list[Hit]:
    """Every listed entry scoring at least MATCH_THRESHOLD, its best name for each subject."""
    return subject_hits(_subjects(organisation), entries)


def subject_hits(subjects: list[tuple[str, str, str]],
                 entries: list[SanctionsEntry]) -> list[Hit]:
    """The hits of (subject, value, entry kind) triples: organisations' and people's."""
    hits: list[Hit] = []
    by_kind = {kind: _choices(entries, kind) for kind in SanctionsEntryKind.values}
    for subject, value, kind in subjects:
        if len(utils.default_process(value)) < MIN_NAME_LENGTH:
            continue
        names, owners = by_kind[kind]
        best: dict[int, Hit] = {}
        for name, score, index in process.extract(
                value, names, scorer=fuzz.token_set_ratio, processor=utils.default_process,
                score_cutoff=MATCH_THRESHOLD, limit=None):
            entry = owners[index]
            if entry.pk not in best or score > best[entry.pk].score:
                best[entry.pk] = Hit(subject, value[:400], entry.kind, entry.reference_number,
                                     entry.name, name[:400], round(float(score), 2))
        hits.extend(sorted(best.values(), key=lambda h: (-h.score, h.entry_reference)))
    return hits


def sanctions_matches_refresh(*, application, entries: list[SanctionsEntry]) -> list:
    """Replace the application's uncleared matches by today's hits; cleared ones are kept."""
    hits = sanctions_hits(application.organisation, entries)
    existing = {(m.subject, m.subject_value, m.entry_reference, m.matched_name): m
                for m in application.sanctions_matches.all()}
    found = {(h.subject, h.subject_value, h.entry_reference, h.matched_name): h for h in hits}
    stale = [m.pk for key, m in existing.items() if key not in found and not m.is_cleared]
    SanctionsMatch.objects.filter(pk__in=stale).delete()
    SanctionsMatch.objects.bulk_create([
        SanctionsMatch(application=application, subject=h.subject, subject_value=h.subject_value,
                       entry_kind=h.entry_kind, entry_reference=h.entry_reference,
                       entry_name=h.entry_name, matched_name=h.matched_name, score=h.score)
        for key, h in found.items() if key not in existing])
    return list(application.sanctions_matches.all())


@transaction.atomic
def sanctions_match_clear(*, actor, match: SanctionsMatch, reason: str) -> SanctionsMatch:
    """The secretariat records why a possible match is not the applicant (audited)."""
    if not user_can(actor, "application.screen"):
        raise NotAllowed()
    match = lock(SanctionsMatch, match.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed.on(
            "reason", _("Say why this is not the listed person or entity."))
    if match.is_cleared:
        raise StateConflict(_("This possible match is already cleared."))
    if match.application.status not in CLEARABLE:
        raise StateConflict(_("Screening of this application is over."))
    match.cleared_by, match.cleared_at, match.clearance_reason = actor, timezone.now(), reason
    match.save(update_fields=["cleared_by", "cleared_at", "clearance_reason"])
    _refresh_sanctions_check(match.application)
    audit_record(actor=actor, verb="sanctions.clear", target=match.application,
                 after={"match": match.pk, "entry": match.entry_reference,
                        "listed_name": match.entry_name, "score": match.score},
                 note=reason)
    return match


def sanctions_check(*, sanctions_list: SanctionsList | None, matches: list) -> dict:
    """The screening checklist's sanctions line: failed while a possible match is uncleared;
    not run (neither passed nor failed) while no list has been imported."""
    if sanctions_list is None:
        return {"code": CheckCode.SANCTIONS, "ok": False, "not_run": True,
                "params": {"no_list": True}}
    uncleared = sum(1 for m in matches if not m.is_cleared)
    return {"code": CheckCode.SANCTIONS, "ok": uncleared == 0,
            "params": {"matches": len(matches), "uncleared": uncleared,
                       "list": sanctions_list.source_name}}


def _refresh_sanctions_check(application) -> None:
    screening = Screening.objects.filter(application=application).first()
    if screening is None:
        return
    line = sanctions_check(sanctions_list=screening.sanctions_list,
                           matches=list(application.sanctions_matches.all()))
    screening.checks = [line if c["code"] == CheckCode.SANCTIONS else c
                        for c in screening.checks]
    screening.save(update_fields=["checks"])
