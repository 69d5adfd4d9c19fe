"""A message's files follow the rules of an application's attachments."""

import hashlib
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fundapp.core.errors import ValidationFailed
from grants.models import Message, MessageAttachment
from grants.services.messages import MAX_FILES_PER_MESSAGE, message_post
from tests.factories import PDF_BYTES
from tests.grants.messages.helpers import exe, pdf

pytestmark = pytest.mark.django_db


def test_files_are_stored_with_their_checked_type_and_digest(ngo, application):
    message = message_post(actor=ngo, application=application, body="Our accounts.",
                           files=[pdf("accounts-2025.pdf"), pdf("audit-letter.pdf")])
    files = list(message.attachments.all())
    assert [f.original_name for f in files] == ["accounts-2025.pdf", "audit-letter.pdf"]
    assert {f.content_type for f in files} == {"application/pdf"}
    assert files[0].sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert files[0].size == len(PDF_BYTES)
    with files[0].file.open("rb") as stored:
        assert stored.read() == PDF_BYTES


def test_a_file_whose_content_is_not_an_accepted_type_is_refused_by_name(ngo, application):
    with pytest.raises(ValidationFailed) as exc:
        message_post(actor=ngo, application=application, body="See attached.",
                     files=[pdf(), exe("invoice.pdf")])
    [reason] = exc.value.field_errors["files"]
    assert "invoice.pdf" in reason and "PDF, DOCX" in reason
    assert not Message.objects.exists() and not MessageAttachment.objects.exists()


def test_a_damaged_docx_is_refused(ngo, application):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")  # no [Content_Types].xml
    upload = SimpleUploadedFile("plan.docx", buffer.getvalue())
    with pytest.raises(ValidationFailed) as exc:
        message_post(actor=ngo, application=application, body="Plan.", files=[upload])
    assert "plan.docx" in exc.value.field_errors["files"][0]


def test_an_empty_file_is_refused(ngo, application):
    with pytest.raises(ValidationFailed) as exc:
        message_post(actor=ngo, application=application, body="x",
                     files=[SimpleUploadedFile("empty.pdf", b"")])
    assert "empty" in exc.value.field_errors["files"][0]


def test_a_file_over_the_upload_limit_is_refused(settings, ngo, application):
    settings.MAX_UPLOAD_BYTES = len(PDF_BYTES) - 1
    with pytest.raises(ValidationFailed) as exc:
        message_post(actor=ngo, application=application, body="x", files=[pdf()])
    assert "larger than" in exc.value.field_errors["files"][0]


def test_at_most_five_files_a_message(ngo, application):
    with pytest.raises(ValidationFailed) as exc:
        message_post(actor=ngo, application=application, body="x",
                     files=[pdf(f"f{i}.pdf") for i in range(MAX_FILES_PER_MESSAGE + 1)])
    assert "files" in exc.value.field_errors
    message = message_post(actor=ngo, application=application, body="x",
                           files=[pdf(f"f{i}.pdf") for i in range(MAX_FILES_PER_MESSAGE)])
    assert message.attachments.count() == MAX_FILES_PER_MESSAGE
