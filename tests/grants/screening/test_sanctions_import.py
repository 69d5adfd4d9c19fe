import pytest
from django.core.management import CommandError, call_command

from fundapp.core.audit import audit_trail_for
from fundapp.core.errors import NotAllowed, ValidationFailed
from grants.models import SanctionsEntry, SanctionsList
from grants.services.sanctions import parse_consolidated_list, sanctions_list_import
from tests.grants.reviews.helpers import SAMPLE_LIST

pytestmark = pytest.mark.django_db

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<CONSOLIDATED_LIST><ENTITIES><ENTITY><FIRST_NAME>&lol2;</FIRST_NAME></ENTITY></ENTITIES>
</CONSOLIDATED_LIST>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<CONSOLIDATED_LIST><ENTITIES><ENTITY><FIRST_NAME>&xxe;</FIRST_NAME></ENTITY></ENTITIES>
</CONSOLIDATED_LIST>"""


def test_the_sample_list_parses_into_individuals_and_entities_with_aliases():
    parsed = parse_consolidated_list(SAMPLE_LIST.read_bytes())
    by_ref = {e["reference_number"]: e for e in parsed.entries}
    assert set(by_ref) == {"LYi.901", "LYi.902", "QDe.901", "LYe.901"}
    assert by_ref["LYi.901"]["name"] == "IBRAHIM MOUSSA KAREEM"
    assert "Ibrahim Kareem" in by_ref["LYi.901"]["aliases"]
    assert by_ref["LYi.902"]["aliases"] == []  # an empty alias is skipped
    assert by_ref["QDe.901"]["aliases"] == ["Crescent Hope Relief", "Al-Hilal Charitable Trust"]
    assert parsed.generated_on.year == 2026


def test_importing_stores_the_entries_and_audits(secretariat):
    imported = sanctions_list_import(actor=secretariat, data=SAMPLE_LIST.read_bytes(),
                                     source_name="consolidated.xml")
    assert (imported.individuals, imported.entities) == (2, 2)
    assert SanctionsEntry.objects.filter(sanctions_list=imported).count() == 4
    assert audit_trail_for(imported).filter(verb="sanctions.import").exists()


def test_a_new_import_replaces_the_previous_entries(secretariat):
    first = sanctions_list_import(actor=secretariat, data=SAMPLE_LIST.read_bytes(),
                                  source_name="old.xml")
    second = sanctions_list_import(actor=secretariat, data=SAMPLE_LIST.read_bytes(),
                                   source_name="new.xml")
    assert not SanctionsEntry.objects.filter(sanctions_list=first).exists()
    assert SanctionsEntry.objects.filter(sanctions_list=second).count() == 4
    assert SanctionsList.objects.count() == 2


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL_ENTITY])
def test_entity_declarations_are_refused(data):
    with pytest.raises(ValidationFailed) as exc:
        parse_consolidated_list(data)
    assert "DOCTYPE" in str(exc.value.field_errors["file"])


@pytest.mark.parametrize("data,words", [
    (b"not xml at all", "not a readable XML"),
    (b"<OTHER_LIST/>", "CONSOLIDATED_LIST"),
    (b"<CONSOLIDATED_LIST><INDIVIDUALS/></CONSOLIDATED_LIST>", "no entries"),
])
def test_a_file_that_is_not_the_list_is_refused_with_a_reason(data, words):
    with pytest.raises(ValidationFailed) as exc:
        parse_consolidated_list(data)
    assert words in str(exc.value.field_errors["file"])


def test_only_the_secretariat_imports(ngo):
    with pytest.raises(NotAllowed):
        sanctions_list_import(actor=ngo, data=SAMPLE_LIST.read_bytes(), source_name="x.xml")


def test_the_management_command_imports_a_file(capsys):
    call_command("import_sanctions_list", str(SAMPLE_LIST))
    assert "Imported 2 individuals and 2 entities" in capsys.readouterr().out
    assert SanctionsList.objects.get().imported_by is None


def test_the_management_command_reports_a_bad_file(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b"<nope/>")
    with pytest.raises(CommandError, match="CONSOLIDATED_LIST"):
        call_command("import_sanctions_list", str(bad))
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_sanctions_list", str(tmp_path / "missing.xml"))
