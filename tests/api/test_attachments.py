import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from grants.models import ApplicationStatus, Attachment
from tests.factories import PDF_BYTES, ApplicationFactory, attach

pytestmark = pytest.mark.django_db
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def url(app, *rest) -> str:
    return f"/api/v1/applications/{app.pk}/attachments/" + "".join(f"{p}/" for p in rest)


def upload(client, app, name="plan.pdf", content=PDF_BYTES, kind="work_plan"):
    data = {"file": SimpleUploadedFile(name, content, content_type="application/pdf")}
    if kind is not None:
        data["kind"] = kind
    return client.post(url(app), data, format="multipart")


@pytest.fixture
def attachment(draft):
    return attach(draft)


@pytest.mark.parametrize("role,expected", [
    ("anonymous", 401), ("ngo", 200), ("other_ngo", 404), ("secretariat", 200),
    ("reviewer", 404), ("board_member", 404), ("donor", 404),
])
def test_the_readers_of_an_application_list_its_attachments(
        client_for, everyone, attachment, role, expected):
    response = client_for(role).get(url(attachment.application))
    assert response.status_code == expected
    if expected == 200:
        row = response.json()["results"][0]
        assert row["id"] == attachment.pk and row["original_name"] == "certificate.pdf"
        assert row["size"] == len(PDF_BYTES) and row["uploaded_at"]


def test_an_attachment_has_its_own_detail(client_for, ngo, attachment):
    response = client_for("ngo").get(url(attachment.application, attachment.pk))
    assert response.status_code == 200
    assert response.json()["kind"] == "registration_certificate"


def test_an_ngo_uploads_a_pdf_to_its_draft(client_for, ngo, draft):
    response = upload(client_for("ngo"), draft, name="work plan.pdf")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["kind"], data["original_name"], data["content_type"]) == (
        "work_plan", "work plan.pdf", "application/pdf")
    assert draft.attachments.get().uploaded_by == ngo


def test_the_type_is_judged_by_content_not_by_name(client_for, ngo, draft):
    response = upload(client_for("ngo"), draft, name="scan.pdf", content=PNG_BYTES)
    assert response.status_code == 201
    assert response.json()["content_type"] == "image/png"


@pytest.mark.parametrize("role,expected", [
    ("anonymous", 401), ("other_ngo", 404), ("secretariat", 403), ("reviewer", 403),
    ("board_member", 403), ("donor", 403),
])
def test_no_one_else_uploads(client_for, everyone, draft, role, expected):
    assert upload(client_for(role), draft).status_code == expected
    assert not Attachment.objects.exists()


def test_an_executable_renamed_pdf_is_a_400(client_for, ngo, draft):
    response = upload(client_for("ngo"), draft, name="budget.pdf",
                      content=b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 4000)
    assert response.status_code == 400
    assert "content" in response.json()["file"][0]
    assert not draft.attachments.exists()


def test_an_11_mb_upload_is_a_400_not_a_413_or_500(client_for, ngo, draft, attachment):
    response = upload(client_for("ngo"), draft, content=PDF_BYTES + b"0" * (11 * 1024 * 1024))
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "larger than 10 MB" in response.json()["file"][0]
    assert list(draft.attachments.all()) == [attachment]


@pytest.mark.parametrize("kind,content,field", [
    (None, PDF_BYTES, "kind"), ("passport", PDF_BYTES, "kind"), ("work_plan", b"", "file"),
])
def test_a_missing_kind_or_an_empty_file_is_a_400(client_for, ngo, draft, kind, content, field):
    response = upload(client_for("ngo"), draft, kind=kind, content=content)
    assert response.status_code == 400
    assert field in response.json()


def test_a_missing_file_is_a_400(client_for, ngo, draft):
    response = client_for("ngo").post(url(draft), {"kind": "work_plan"}, format="multipart")
    assert response.status_code == 400
    assert "file" in response.json()


def test_a_submitted_application_takes_no_more_attachments(client_for, ngo, submitted):
    assert upload(client_for("ngo"), submitted).status_code == 409


@pytest.mark.parametrize("role,expected", [
    ("anonymous", 401), ("ngo", 200), ("other_ngo", 404), ("secretariat", 200),
    ("reviewer", 404), ("board_member", 404), ("donor", 404),
])
def test_only_readers_download(client_for, everyone, attachment, role, expected):
    response = client_for(role).get(url(attachment.application, attachment.pk, "download"))
    assert response.status_code == expected


def test_a_download_streams_the_file_as_an_attachment(client_for, ngo, attachment):
    response = client_for("ngo").get(url(attachment.application, attachment.pk, "download"))
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="certificate.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_download_answers_whatever_the_client_accepts(client_for, ngo, attachment):
    response = client_for("ngo").get(url(attachment.application, attachment.pk, "download"),
                                     HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200


def test_the_board_downloads_from_a_recommended_application(client_for, board_member, open_call):
    app = ApplicationFactory(call=open_call, status=ApplicationStatus.RECOMMENDED)
    att = attach(app)
    assert client_for("board_member").get(url(app, att.pk, "download")).status_code == 200


def test_an_attachment_of_another_application_is_a_404(client_for, ngo, draft, organisation):
    other = attach(ApplicationFactory(organisation=organisation, call=draft.call))
    assert client_for("ngo").get(url(draft, other.pk, "download")).status_code == 404


@pytest.mark.parametrize("role,expected", [
    ("anonymous", 401), ("ngo", 204), ("other_ngo", 404), ("secretariat", 403),
    ("reviewer", 403), ("board_member", 403), ("donor", 403),
])
def test_only_the_organisations_users_remove_an_attachment(
        client_for, everyone, attachment, role, expected):
    response = client_for(role).delete(url(attachment.application, attachment.pk))
    assert response.status_code == expected
    assert Attachment.objects.filter(pk=attachment.pk).exists() == (expected != 204)


def test_attachments_of_a_submitted_application_stay(client_for, ngo, submitted):
    att = submitted.attachments.first()
    assert client_for("ngo").delete(url(submitted, att.pk)).status_code == 409
    assert Attachment.objects.filter(pk=att.pk).exists()


def test_a_removed_file_leaves_storage(client_for, ngo, attachment,
                                       django_capture_on_commit_callbacks):
    storage, name = attachment.file.storage, attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        client_for("ngo").delete(url(attachment.application, attachment.pk))
    assert not storage.exists(name)
