"""Uploaded files on S3-compatible object storage, end to end through the API and the web
pages, against a local S3 server: what lands in the bucket, under which key, with which
access, and who gets it back."""

import hashlib
import os
import re
import subprocess
import sys
import urllib.request
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from donors.models import Contribution, ContributionImport
from donors.tasks import purge_import_previews
from grants.models import Attachment
from tests.donors.factories import DonorFactory
from tests.factories import PDF_BYTES, ApplicationFactory

from .conftest import CREDENTIALS, REGION

pytestmark = pytest.mark.django_db

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
# A PDF of 3 MB: bigger than the storage's in-memory buffer, so downloads spool to disk.
BIG_PDF = PDF_BYTES + os.urandom(3 * 1024 * 1024)
# The key of an attachment: its application, then 128 random bits; never the file's name.
ATTACHMENT_KEY = re.compile(r"attachments/(\d+)/[0-9a-f]{32}")


@pytest.fixture
def draft(organisation, open_call):
    return ApplicationFactory(organisation=organisation, call=open_call)


@pytest.fixture
def web(client):
    def sign_in(user):
        client.logout()
        client.force_login(user, backend=MODEL_BACKEND)
        return client

    return sign_in


def api_url(app, *rest) -> str:
    return f"/api/v1/applications/{app.pk}/attachments/" + "".join(f"{p}/" for p in rest)


def api_upload(client, app, content=PDF_BYTES, name="work plan.pdf", declared="application/pdf"):
    return client.post(api_url(app), {
        "kind": "work_plan", "file": SimpleUploadedFile(name, content, content_type=declared),
    }, format="multipart")


def streamed(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_documented_environment_gives_a_working_s3_storage(s3_endpoint, bucket):
    """The README's set-up, in a fresh process: fundapp.settings with AWS_STORAGE_BUCKET_NAME
    and friends loads the S3 backend (boto3 installed: no ImproperlyConfigured) and writes
    to the bucket."""
    script = "\n".join([
        "import django",
        "django.setup()",
        "from django.conf import settings",
        "from django.core.files.base import ContentFile",
        "from django.core.files.storage import default_storage",
        "from fundapp.core.storage import s3_storage",
        "assert settings.STORAGES['default'] == s3_storage(",
        f"    settings.AWS_STORAGE_BUCKET_NAME, endpoint_url={s3_endpoint!r}, "
        f"region_name={REGION!r})",
        "print(default_storage.save('probe/settings.txt', ContentFile(b'from settings')))",
    ])
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "fundapp.settings", "DEBUG": "1",
           "AWS_STORAGE_BUCKET_NAME": bucket.name, "AWS_S3_ENDPOINT_URL": s3_endpoint,
           "AWS_S3_REGION_NAME": REGION, "AWS_ACCESS_KEY_ID": CREDENTIALS["aws_access_key_id"],
           "AWS_SECRET_ACCESS_KEY": CREDENTIALS["aws_secret_access_key"]}
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                            text=True, timeout=120, cwd=django_settings.BASE_DIR)
    assert result.returncode == 0, result.stderr
    key = result.stdout.strip().splitlines()[-1]
    assert bucket.keys() == [key] == ["probe/settings.txt"]
    assert bucket.read(key) == b"from settings"


def test_the_settings_build_a_private_signed_s3_storage(bucket):
    from storages.backends.s3 import S3Storage

    assert isinstance(default_storage, S3Storage)
    assert Attachment.file.field.storage.bucket_name == bucket.name
    assert default_storage.bucket_name == bucket.name
    assert default_storage.default_acl == "private"
    assert default_storage.querystring_auth is True
    assert default_storage.file_overwrite is False


def test_an_ngo_upload_lands_in_the_bucket_under_a_random_private_key(
        api_as, ngo, bucket, draft):
    response = api_upload(api_as(ngo), draft, content=BIG_PDF)
    assert response.status_code == 201, response.json()
    attachment = Attachment.objects.get(pk=response.json()["id"])
    [key] = bucket.keys()
    assert attachment.file.name == key
    match = ATTACHMENT_KEY.fullmatch(key)
    assert match and match.group(1) == str(draft.pk)
    assert "work" not in key and "plan" not in key
    stored = bucket.read(key)
    assert stored == BIG_PDF
    assert hashlib.sha256(stored).hexdigest() == attachment.sha256
    grants = bucket.client.get_object_acl(Bucket=bucket.name, Key=key)["Grants"]
    assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]
    assert all(g["Grantee"].get("Type") == "CanonicalUser" for g in grants)
    # The uploader's declared type is not kept: fetched by URL, the object is a download.
    head = bucket.head(key)
    assert head["ContentType"] == "application/octet-stream"
    assert head["ContentDisposition"] == "attachment"


def test_two_uploads_of_the_same_name_are_two_objects(api_as, ngo, bucket, draft):
    client = api_as(ngo)
    assert api_upload(client, draft).status_code == 201
    assert api_upload(client, draft, content=BIG_PDF).status_code == 201
    keys = bucket.keys(f"attachments/{draft.pk}/")
    assert len(keys) == 2
    assert sorted(bucket.read(k) for k in keys) == sorted([PDF_BYTES, BIG_PDF])


@pytest.mark.parametrize("role,expected", [
    ("ngo", 200), ("secretariat", 200), ("other_ngo", 404), ("reviewer", 404),
    ("donor", 404),
])
def test_the_api_download_streams_the_object_to_readers_only(
        api_as, request, ngo, other_ngo, secretariat, reviewer, donor, bucket, draft,
        role, expected):
    attachment_id = api_upload(api_as(ngo), draft, content=BIG_PDF).json()["id"]
    response = api_as(request.getfixturevalue(role)).get(
        api_url(draft, attachment_id, "download"))
    assert response.status_code == expected
    if expected == 200:
        assert streamed(response) == BIG_PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="work plan.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private, no-store"
        assert int(response["Content-Length"]) == len(BIG_PDF)


@pytest.mark.parametrize("role,expected", [
    ("ngo", 200), ("secretariat", 200), ("other_ngo", 404),
])
def test_the_web_upload_and_download_go_through_the_bucket(
        web, request, ngo, other_ngo, secretariat, bucket, draft, role, expected):
    upload = SimpleUploadedFile("budget.pdf", BIG_PDF, content_type="application/pdf")
    response = web(ngo).post(reverse("grants:attachment-upload", args=[draft.pk]),
                             {"kind": "work_plan", "file": upload})
    assert response.status_code == 302
    attachment = draft.attachments.get()
    assert bucket.keys() == [attachment.file.name]
    response = web(request.getfixturevalue(role)).get(
        reverse("grants:attachment-download", args=[draft.pk, attachment.pk]))
    assert response.status_code == expected
    if expected == 200:
        assert streamed(response) == BIG_PDF
        assert response["Content-Disposition"] == 'attachment; filename="budget.pdf"'


def test_the_signed_url_of_an_object_is_short_lived_and_returns_its_bytes(
        api_as, ngo, bucket, draft):
    attachment_id = api_upload(api_as(ngo), draft, content=BIG_PDF).json()["id"]
    attachment = Attachment.objects.get(pk=attachment_id)
    signed = attachment.file.url
    query = parse_qs(urlsplit(signed).query)
    assert query["X-Amz-Expires"] == ["300"] and "X-Amz-Signature" in query
    with urllib.request.urlopen(signed, timeout=10) as fetched:
        assert fetched.read() == BIG_PDF
        assert fetched.headers["Content-Disposition"] == "attachment"


def test_an_object_missing_from_the_bucket_is_a_404_not_a_500(api_as, web, ngo, bucket, draft):
    attachment_id = api_upload(api_as(ngo), draft).json()["id"]
    attachment = Attachment.objects.get(pk=attachment_id)
    bucket.client.delete_object(Bucket=bucket.name, Key=attachment.file.name)
    response = api_as(ngo).get(api_url(draft, attachment_id, "download"))
    assert response.status_code == 404
    assert response.json()["detail"] == "The file is no longer available."
    response = web(ngo).get(reverse("grants:attachment-download",
                                    args=[draft.pk, attachment_id]))
    assert response.status_code == 404


def test_removing_an_attachment_deletes_its_object_once_committed(
        api_as, ngo, bucket, draft, django_capture_on_commit_callbacks):
    client = api_as(ngo)
    kept = api_upload(client, draft).json()["id"]
    removed = api_upload(client, draft, content=BIG_PDF).json()["id"]
    kept_key = Attachment.objects.get(pk=kept).file.name
    with django_capture_on_commit_callbacks(execute=True):
        assert client.delete(api_url(draft, removed)).status_code == 204
    assert bucket.keys() == [kept_key]


# ---------------------------------------------------------------- donor imports

STATEMENT = (b"donor,amount,currency,received_on,bank_reference\n"
             b"Sweden,250.00,USD,2024-01-05,S3-1\nSweden,100,USD,2024-01-06,S3-2\n")


def test_a_previewed_statement_is_kept_in_the_bucket_and_imported_from_it(
        web, secretariat, bucket):
    DonorFactory(name="Sweden")
    client = web(secretariat)
    response = client.post(reverse("donors:import-upload"), {
        "file": SimpleUploadedFile("statement.csv", STATEMENT, content_type="text/csv")})
    assert response.status_code == 302
    batch = ContributionImport.objects.get()
    assert bucket.keys("donor-imports/") == [batch.file.name]
    assert bucket.read(batch.file.name) == STATEMENT
    # The preview page and the import itself read the file back from the bucket.
    preview = client.get(reverse("donors:import-preview", args=[batch.pk]))
    assert preview.status_code == 200 and b"S3-1" in preview.content
    assert client.post(reverse("donors:import-preview", args=[batch.pk])).status_code == 302
    batch.refresh_from_db()
    assert batch.status == ContributionImport.Status.IMPORTED
    assert sorted(Contribution.objects.values_list("bank_reference", flat=True)) == [
        "S3-1", "S3-2"]


def test_two_statements_are_two_objects_and_stale_previews_leave_the_bucket(
        web, secretariat, bucket):
    DonorFactory(name="Sweden")
    client = web(secretariat)
    other = STATEMENT.replace(b"S3-", b"S3-B")
    for content in (STATEMENT, other):
        client.post(reverse("donors:import-upload"), {
            "file": SimpleUploadedFile("statement.csv", content, content_type="text/csv")})
    old, new = ContributionImport.objects.order_by("pk")
    assert old.file.name != new.file.name
    assert bucket.read(old.file.name) == STATEMENT and bucket.read(new.file.name) == other
    ContributionImport.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=8))
    assert purge_import_previews(days=7) == 1
    assert bucket.keys() == [new.file.name]
