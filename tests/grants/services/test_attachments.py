import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fundapp.core.errors import StateConflict, ValidationFailed
from grants.models import ApplicationStatus
from grants.services.applications import attachment_add, attachment_remove
from tests.factories import PDF_BYTES, ApplicationFactory

pytestmark = pytest.mark.django_db
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def draft(organisation):
    return ApplicationFactory(organisation=organisation)


@pytest.mark.parametrize("name,content,content_type", [
    ("plan.pdf", PDF_BYTES, "application/pdf"),
    ("photo.png", PNG_BYTES, "image/png"),
    ("budget.docx", docx_bytes(),
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
])
def test_accepted_types_are_stored_with_the_type_their_content_shows(
        ngo, draft, name, content, content_type):
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    att = attachment_add(actor=ngo, application=draft, kind="work_plan", uploaded=upload)
    assert att.content_type == content_type
    assert att.size == len(content) and len(att.sha256) == 64
    assert att.file.read() == content


def test_an_executable_renamed_pdf_is_refused(ngo, draft):
    upload = SimpleUploadedFile("report.pdf", b"MZ\x90\x00" + b"\x00" * 200,
                                content_type="application/pdf")
    with pytest.raises(ValidationFailed) as exc:
        attachment_add(actor=ngo, application=draft, kind="work_plan", uploaded=upload)
    assert "file" in exc.value.field_errors
    assert draft.attachments.count() == 0


def test_a_file_over_10_mb_is_refused(ngo, draft):
    upload = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationFailed) as exc:
        attachment_add(actor=ngo, application=draft, kind="work_plan", uploaded=upload)
    assert "10 MB" in str(exc.value.field_errors["file"][0])


def test_unknown_kind_is_refused(ngo, draft):
    with pytest.raises(ValidationFailed):
        attachment_add(actor=ngo, application=draft, kind="selfie",
                       uploaded=SimpleUploadedFile("a.pdf", PDF_BYTES))


def test_no_upload_once_submitted(ngo, draft):
    draft.status = ApplicationStatus.SUBMITTED
    draft.save()
    with pytest.raises(StateConflict):
        attachment_add(actor=ngo, application=draft, kind="work_plan",
                       uploaded=SimpleUploadedFile("a.pdf", PDF_BYTES))


def test_removing_an_attachment_deletes_the_stored_file(
        ngo, draft, django_capture_on_commit_callbacks):
    att = attachment_add(actor=ngo, application=draft, kind="work_plan",
                         uploaded=SimpleUploadedFile("a.pdf", PDF_BYTES))
    storage, name = att.file.storage, att.file.name
    with django_capture_on_commit_callbacks(execute=True):
        attachment_remove(actor=ngo, attachment=att)
    assert not storage.exists(name)
    assert draft.attachments.count() == 0
