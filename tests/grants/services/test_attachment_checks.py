"""ZIP-based attachments are checked for their real structure, their integrity and their
size once inflated; the number of attachments per application is capped."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fundapp.core.errors import StateConflict, ValidationFailed
from grants.services import attachment_checks
from grants.services.applications import attachment_add
from tests.factories import PDF_BYTES, ApplicationFactory

pytestmark = pytest.mark.django_db
ODT_MIME = "application/vnd.oasis.opendocument.text"


def zip_bytes(entries, *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as z:
        for name, content in entries:
            if name == "mimetype":  # stored first, uncompressed, as ODF requires
                z.writestr(zipfile.ZipInfo(name), content, compress_type=zipfile.ZIP_STORED)
            else:
                z.writestr(name, content)
    return buffer.getvalue()


DOCX = zip_bytes([("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<w:document/>")])
XLSX = zip_bytes([("[Content_Types].xml", "<Types/>"), ("xl/workbook.xml", "<workbook/>")])
ODT = zip_bytes([("mimetype", ODT_MIME), ("content.xml", "<office:document-content/>")])


@pytest.fixture
def draft(organisation):
    return ApplicationFactory(organisation=organisation)


def add(ngo, draft, name, content):
    return attachment_add(actor=ngo, application=draft, kind="work_plan",
                          uploaded=SimpleUploadedFile(name, content))


def refused(ngo, draft, name, content) -> str:
    with pytest.raises(ValidationFailed) as exc:
        add(ngo, draft, name, content)
    assert draft.attachments.count() == 0
    return str(exc.value.field_errors["file"][0])


@pytest.mark.parametrize("name,content,content_type", [
    ("budget.docx", DOCX,
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("budget.xlsx", XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("plan.odt", ODT, ODT_MIME),
])
def test_sound_documents_are_accepted(ngo, draft, name, content, content_type):
    assert add(ngo, draft, name, content).content_type == content_type


def test_a_zip_with_a_bare_word_folder_is_refused(ngo, draft):
    fake = zip_bytes([("word/", b""), ("payload.exe", b"MZ" + b"\0" * 100)])
    assert "not a valid DOCX document" in refused(ngo, draft, "cv.docx", fake)


@pytest.mark.parametrize("entries", [
    [("[Content_Types].xml", "<Types/>"), ("word/styles.xml", "<w:styles/>")],
    [("word/document.xml", "<w:document/>")],
])
def test_a_docx_without_its_required_parts_is_refused(ngo, draft, entries):
    assert "not a valid DOCX" in refused(ngo, draft, "cv.docx", zip_bytes(entries))


def test_an_xlsx_without_its_workbook_is_refused(ngo, draft):
    fake = zip_bytes([("[Content_Types].xml", "<Types/>"), ("xl/styles.xml", "<styles/>")])
    assert "not a valid XLSX" in refused(ngo, draft, "budget.xlsx", fake)


def test_an_odt_whose_mimetype_entry_only_starts_like_a_text_is_refused(ngo, draft):
    # filetype compares the first bytes only, so a template passes its sniff as an ODT
    template = zip_bytes([("mimetype", ODT_MIME + "-template"),
                          ("content.xml", "<office:document-content/>")])
    assert "not a valid ODT" in refused(ngo, draft, "plan.odt", template)


@pytest.mark.parametrize("mimetype,ok", [
    ("application/vnd.oasis.opendocument.spreadsheet", True),
    ("application/vnd.oasis.opendocument.text", False),
])
def test_an_ods_is_checked_for_its_own_mimetype(mimetype, ok):
    upload = SimpleUploadedFile("sheet.ods", zip_bytes([("mimetype", mimetype),
                                                        ("content.xml", "<c/>")]))
    if ok:
        attachment_checks.check_zip_structure(upload, "ods")
    else:
        with pytest.raises(ValidationFailed):
            attachment_checks.check_zip_structure(upload, "ods")
    assert upload.tell() == 0


def test_an_odt_without_content_is_refused(ngo, draft):
    assert "not a valid ODT" in refused(ngo, draft, "plan.odt", zip_bytes([("mimetype", ODT_MIME)]))


def test_a_truncated_archive_is_refused(ngo, draft):
    assert "damaged" in refused(ngo, draft, "cv.docx", DOCX[: len(DOCX) // 2])


def test_an_archive_with_a_corrupted_entry_is_refused(ngo, draft):
    body = "<w:document>" + "text " * 400 + "</w:document>"
    good = zip_bytes([("[Content_Types].xml", "<Types/>"), ("word/document.xml", body)],
                     compression=zipfile.ZIP_STORED)
    broken = good.replace(b"text text", b"TEXT text", 1)  # the CRC no longer matches
    assert broken != good
    assert "damaged" in refused(ngo, draft, "cv.docx", broken)


def test_a_zip_bomb_is_refused_before_it_is_inflated(ngo, draft, monkeypatch):
    monkeypatch.setattr(attachment_checks, "MAX_UNCOMPRESSED_BYTES", 1024 * 1024)
    inflated = []
    monkeypatch.setattr(attachment_checks, "_read_through",
                        lambda archive, info: inflated.append(info.filename))
    bomb = zip_bytes([("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<w/>"),
                      ("word/media/zeros.bin", b"\0" * (2 * 1024 * 1024))])
    assert len(bomb) < 20_000
    assert "expand to more than" in refused(ngo, draft, "cv.docx", bomb)
    assert inflated == []


def test_a_high_compression_ratio_is_refused_even_under_the_size_cap(ngo, draft):
    bomb = zip_bytes([("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<w/>"),
                      ("word/media/zeros.bin", b"\0" * (4 * 1024 * 1024))])
    assert "expand to more than" in refused(ngo, draft, "cv.docx", bomb)


def test_an_archive_with_too_many_entries_is_refused(ngo, draft, monkeypatch):
    monkeypatch.setattr(attachment_checks, "MAX_ENTRIES", 10)
    entries = [("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<w/>")]
    entries += [(f"word/part{i}.xml", "<p/>") for i in range(10)]
    assert "too many parts" in refused(ngo, draft, "cv.docx", zip_bytes(entries))


def test_an_application_holds_at_most_the_configured_number_of_attachments(
        ngo, draft, settings):
    settings.MAX_ATTACHMENTS_PER_APPLICATION = 3
    for _ in range(3):
        add(ngo, draft, "a.pdf", PDF_BYTES)
    with pytest.raises(StateConflict) as exc:
        add(ngo, draft, "one-too-many.pdf", PDF_BYTES)
    assert "at most 3 attachments" in str(exc.value)
    assert draft.attachments.count() == 3


def test_the_default_cap_is_twenty():
    from fundapp import settings as project_settings

    assert project_settings.MAX_ATTACHMENTS_PER_APPLICATION == 20
