"""Builders for the message-thread tests: a submitted application, files to attach."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from grants.models import ApplicationStatus
from tests.factories import PDF_BYTES, complete_application


def submitted_application(organisation, call=None, reference="VTF1-0001"):
    kwargs = {"organisation": organisation}
    if call is not None:
        kwargs["call"] = call
    app = complete_application(**kwargs)
    app.status, app.reference, app.submitted_at = (ApplicationStatus.SUBMITTED, reference,
                                                   timezone.now())
    app.save()
    return app


def pdf(name="budget-notes.pdf", content=PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def exe(name="invoice.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"MZ\x90\x00" + b"\x00" * 200,
                              content_type="application/pdf")
