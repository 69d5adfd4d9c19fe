"""Every shipped translation catalogue is complete, keeps the placeholders of its English
source, and is compiled: the committed .mo holds exactly the translations of the .po.

A small .po reader of its own (no extra dependency); the .mo is read by the standard
library's gettext, the way Django reads it."""

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.translation import to_locale

SOURCE_LANGUAGE = "en"
# %(name)s, %s, %d, %.2f …; "%%" is a literal percent sign.
PERCENT = re.compile(r"%(?:\((?P<name>[^)]*)\))?[#0 +-]*\d*(?:\.\d+)?(?P<conv>[diouxXeEfFgGcrsa%])")
BRACE = re.compile(r"\{(?P<name>[A-Za-z_]\w*)(?:![rsa])?(?::[^{}]*)?\}")


@dataclass
class Entry:
    line: int
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def label(self) -> str:
        text = self.msgid if len(self.msgid) <= 90 else self.msgid[:87] + "…"
        return f"line {self.line}: {text!r}"


def _unquote(text: str, path: Path, number: int) -> str:
    text = text.strip()
    if not (len(text) >= 2 and text[0] == '"' and text[-1] == '"'):
        raise AssertionError(f"{path}:{number}: not a quoted string: {text!r}")
    return ast.literal_eval(text)


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po file (header included, as the entry with msgid "")."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] | None = None

    def start(number: int) -> Entry:
        nonlocal current
        if current is None or current.msgid or current.msgstr:
            current = Entry(line=number)
            entries.append(current)
        return current

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            current, target = None, None
            continue
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
            if not line or line.startswith(("#", "|")):  # comments, previous msgid
                continue
        elif line.startswith("#,"):
            entry = start(number)
            entry.flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
            continue
        elif line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if keyword.startswith('"'):
            if target is None:
                raise AssertionError(f"{path}:{number}: continuation line without a keyword")
            name, index = target
            value = _unquote(line, path, number)
            if name == "msgstr":
                current.msgstr[index] += value
            else:
                setattr(current, name, getattr(current, name) + value)
            continue
        value = _unquote(rest, path, number)
        if keyword in ("msgctxt", "msgid"):
            if current is not None and (current.msgstr or (keyword == "msgid" and current.msgid)):
                current = None
            entry = start(number)
            entry.obsolete = entry.obsolete or obsolete
            setattr(entry, keyword, value)
            target = (keyword, 0)
        elif keyword == "msgid_plural":
            current.msgid_plural = value
            target = ("msgid_plural", 0)
        elif keyword == "msgstr" or re.fullmatch(r"msgstr\[\d+\]", keyword):
            index = int(keyword[7:-1]) if "[" in keyword else 0
            current.msgstr[index] = value
            target = ("msgstr", index)
        else:
            raise AssertionError(f"{path}:{number}: unknown keyword {keyword!r}")
    return entries


def _catalogues() -> list[Path]:
    found = []
    for base in settings.LOCALE_PATHS:
        found.extend(sorted(Path(base).glob("*/LC_MESSAGES/*.po")))
    return found


CATALOGUES = _catalogues()


def _id(path: Path) -> str:
    return f"{path.parents[1].name}/{path.name}"


def _live(path: Path) -> list[Entry]:
    return [e for e in read_po(path) if e.msgid and not e.obsolete]


def _nplurals(path: Path) -> int:
    header = next(e for e in read_po(path) if e.msgid == "" and not e.obsolete)
    match = re.search(r"nplurals\s*=\s*(\d+)", header.msgstr.get(0, ""))
    assert match, f"{path}: the header has no Plural-Forms"
    return int(match.group(1))


def _percent(text: str) -> tuple[list[str], int, bool]:
    """Named placeholders (sorted), the number of positional ones, and whether a lone
    '%' that is no valid conversion remains (it would break the interpolation)."""
    names, positional = [], 0
    for m in PERCENT.finditer(text):
        if m.group("conv") == "%":
            continue
        if m.group("name") is not None:
            names.append(m.group("name"))
        else:
            positional += 1
    stray = "%" in PERCENT.sub("", text)
    return sorted(names), positional, stray


def _brace(text: str) -> list[str]:
    return sorted(m.group("name") for m in BRACE.finditer(text))


def test_every_translated_language_ships_a_catalogue():
    languages = {Path(p).parents[1].name for p in CATALOGUES}
    wanted = {to_locale(code) for code, _name in settings.LANGUAGES if code != SOURCE_LANGUAGE}
    assert wanted, "settings.LANGUAGES names no language besides the source"
    assert wanted <= languages, f"no django.po for {sorted(wanted - languages)}"


@pytest.mark.parametrize("path", CATALOGUES, ids=_id)
def test_the_reader_sees_the_whole_catalogue(path):
    """Guard for the reader itself: it finds as many entries as there are msgid lines."""
    text = path.read_text(encoding="utf-8")
    msgid_lines = len(re.findall(r"^(?:#~\s*)?msgid ", text, flags=re.M))
    entries = read_po(path)
    assert len(entries) == msgid_lines
    assert _live(path), f"{path} holds no message"


@pytest.mark.parametrize("path", CATALOGUES, ids=_id)
def test_no_entry_is_untranslated_or_fuzzy(path):
    nplurals = _nplurals(path)
    problems = []
    for e in _live(path):
        if "fuzzy" in e.flags:
            problems.append(f"fuzzy {e.label}")
            continue
        expected = range(nplurals) if e.msgid_plural is not None else range(1)
        if sorted(e.msgstr) != list(expected):
            problems.append(f"forms {sorted(e.msgstr)} instead of {list(expected)}: {e.label}")
        elif not all(e.msgstr[i].strip() for i in expected):
            problems.append(f"untranslated {e.label}")
    assert not problems, f"{path}: {len(problems)} entries to translate:\n" + "\n".join(problems)


@pytest.mark.parametrize("path", CATALOGUES, ids=_id)
def test_placeholders_are_kept(path):
    problems = []
    for e in _live(path):
        for index, translated in e.msgstr.items():
            if not translated:
                continue
            source = e.msgid if index == 0 or e.msgid_plural is None else e.msgid_plural
            if "python-format" in e.flags or "%(" in source:
                names, positional, _stray = _percent(source)
                t_names, t_positional, t_stray = _percent(translated)
                if (names, positional) != (t_names, t_positional):
                    problems.append(f"msgstr[{index}] has %-placeholders {t_names} "
                                    f"(+{t_positional}) instead of {names} (+{positional}): "
                                    f"{e.label}")
                if t_stray:
                    problems.append(f"msgstr[{index}] has a lone '%' (write '%%'): {e.label}")
            if _brace(source) != _brace(translated):
                problems.append(f"msgstr[{index}] has {{}}-placeholders {_brace(translated)} "
                                f"instead of {_brace(source)}: {e.label}")
    assert not problems, f"{path}:\n" + "\n".join(problems)


def test_placeholder_check_catches_a_changed_name():
    assert _percent("%(n)s of %(total)s")[0] != _percent("%(nombre)s sur %(total)s")[0]
    assert _percent("%(n)s%% done") == (["n"], 0, False)
    assert _percent("à 70 %.")[2] is True  # a lone percent sign
    assert _percent("70 % des")[1] == 1  # "% d" is a conversion: the count differs
    assert _brace("Hello {name}") != _brace("Bonjour {nom}")
    assert _brace('{"detail": "…"}') == []


# Names makemessages (xgettext with Django's keywords) extracts strings from.
EXTRACTED = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy",
             "pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"}
OWN_CODE = ("fundapp", "grants", "donors")


def test_gettext_is_only_called_under_names_makemessages_extracts():
    """`gettext_lazy as _l` translates nothing: makemessages never sees `_l("…")`, so the
    string never reaches the catalogue and shows in English on French pages."""
    root = Path(settings.BASE_DIR)
    wrong = []
    for folder in OWN_CODE:
        for source in sorted((root / folder).rglob("*.py")):
            tree = ast.parse(source.read_text(encoding="utf-8"), filename=str(source))
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
                    for alias in node.names:
                        name = alias.asname or alias.name
                        if alias.name in EXTRACTED and name not in EXTRACTED:
                            wrong.append(f"{source.relative_to(root)}:{node.lineno}: "
                                         f"{alias.name} as {alias.asname}")
    assert not wrong, "makemessages does not extract these names:\n" + "\n".join(wrong)


@pytest.mark.parametrize("path", CATALOGUES, ids=_id)
def test_compiled_catalogue_matches_the_po(path):
    """The committed .mo holds exactly the .po's translations: compilemessages was run
    after the last change to the .po (and the .mo is committed)."""
    mo = path.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run compilemessages"
    expected: dict = {}
    for e in _live(path):
        if "fuzzy" in e.flags or not all(e.msgstr.values()):
            continue
        key = e.msgid if e.msgctxt is None else f"{e.msgctxt}\x04{e.msgid}"
        if e.msgid_plural is None:
            expected[key] = e.msgstr[0]
        else:
            for index, text in e.msgstr.items():
                expected[(key, index)] = text
    with mo.open("rb") as fh:
        compiled = dict(gettext.GNUTranslations(fh)._catalog)
    compiled.pop("", None)
    missing = sorted(str(k)[:90] for k in expected.keys() - compiled.keys())
    stale = sorted(str(k)[:90] for k in compiled.keys() - expected.keys())
    changed = sorted(str(k)[:90] for k in expected.keys() & compiled.keys()
                     if expected[k] != compiled[k])
    assert not (missing or stale or changed), (
        f"{mo} is older than {path.name}: run `make messages` (compilemessages).\n"
        f"not compiled yet: {missing[:10]}\nno longer in the .po: {stale[:10]}\n"
        f"translation changed: {changed[:10]}")


def test_french_agrees_with_the_thing_a_word_qualifies():
    """One English word, several French ones: a grant is "clôturée", a call "clôturé", a
    report "soumis", an application "soumise"; an amount paid is "versé"."""
    from django.utils import translation
    from django.utils.translation import pgettext

    from grants.models import ApplicationStatus, CallStatus, GrantStatus, ReportStatus

    with translation.override("fr"):
        assert str(GrantStatus.CLOSED.label) == "Clôturée"
        assert str(CallStatus.CLOSED.label) == "Clôturé"
        assert str(ReportStatus.SUBMITTED.label) == "Soumis"
        assert str(ApplicationStatus.SUBMITTED.label) == "Soumise"
        assert pgettext("amount paid", "Paid") == "Versé"
