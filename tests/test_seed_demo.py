from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from fundapp.accounts.models import User
from fundapp.accounts.roles import Role, roles_of
from fundapp.core.models import AuditEvent
from grants.models import Application, ApplicationStatus, Attachment, Call, CallStatus

pytestmark = pytest.mark.django_db

EXPECTED_USERS = {
    "secretariat": Role.SECRETARIAT, "reviewer1": Role.REVIEWER, "reviewer2": Role.REVIEWER,
    "reviewer3": Role.REVIEWER, "chair": Role.BOARD, "trustee1": Role.BOARD,
    "trustee2": Role.BOARD, "trustee3": Role.BOARD, "trustee4": Role.BOARD, "ngo1": Role.NGO,
    "ngo2": Role.NGO, "donor1": Role.DONOR,
}


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", stdout=StringIO())


def _counts() -> dict:
    return {model.__name__: model.objects.count()
            for model in (User, Call, Application, Attachment, AuditEvent)}


def test_seed_creates_every_demo_user_with_the_demo_password(seeded, settings):
    for username, role in EXPECTED_USERS.items():
        user = User.objects.get(username=username)
        assert role in roles_of(user)
        assert user.check_password(settings.DEMO_PASSWORD)
        assert user.is_active and user.email_verified
    assert User.objects.get(username="secretariat").is_staff


def test_ngo1_and_ngo2_hold_different_organisations_only_ngo1s_verified(seeded):
    org1 = User.objects.get(username="ngo1").membership.organisation
    org2 = User.objects.get(username="ngo2").membership.organisation
    assert org1 != org2
    assert org1.verified and not org2.verified


def test_ngo2_shows_french_and_a_non_utc_time_zone(seeded):
    ngo2 = User.objects.get(username="ngo2")
    assert ngo2.language == "fr"
    assert ngo2.timezone == "Africa/Abidjan"


def test_calls_one_to_seven_are_history_and_call_eight_is_open(seeded):
    calls = {c.number: c for c in Call.objects.all()}
    assert sorted(calls) == list(range(1, 9))
    for number in range(1, 8):
        assert calls[number].status in (CallStatus.CLOSED, CallStatus.DECIDED,
                                         CallStatus.ARCHIVED)
        assert calls[number].title_fr and calls[number].description_fr
    assert calls[8].is_accepting_submissions()
    assert calls[8].closes_at > timezone.now() + timedelta(days=7)


def test_the_seventh_call_opened_on_27_january_2023_with_its_five_priorities(seeded):
    seventh = Call.objects.get(number=7)
    assert seventh.opens_at.date() == date(2023, 1, 27)
    assert list(seventh.priorities.values_list("code", flat=True)) == [
        "armed-conflict", "mass-movements", "climate-displacement", "women-girls",
        "underserved"]


def test_the_open_call_has_weighted_priorities_and_required_documents(seeded):
    call = Call.objects.get(number=8)
    weights = set(call.priorities.values_list("weight", flat=True))
    assert len(weights) > 1
    assert {"registration_certificate", "project_budget"} <= set(call.required_documents)
    assert not call.eligible_countries


def test_submitted_applications_have_references_and_documents(seeded):
    submitted = Application.objects.filter(call__number=8, status=ApplicationStatus.SUBMITTED)
    assert submitted.count() >= 3
    assert len({a.organisation.country.code for a in submitted}) >= 3
    for app in submitted:
        assert app.reference.startswith("VTF8-")
        assert app.attachments.filter(kind="project_budget").exists()
        assert AuditEvent.objects.filter(verb="application.submit",
                                         target_id=str(app.pk)).exists()
    assert Application.objects.filter(call__number=8, status=ApplicationStatus.DRAFT).exists()


def test_attachments_are_real_pdfs(seeded):
    attachment = Attachment.objects.filter(application__call__number=8).first()
    with attachment.file.open("rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF-") and content.rstrip().endswith(b"%%EOF")


def test_running_the_seed_twice_changes_nothing(seeded):
    before = _counts()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert _counts() == before
    assert "nothing to do" in out.getvalue()


def test_seed_prints_the_logins_and_the_url(settings):
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out = StringIO()
    call_command("seed_demo", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8000" in text
    assert settings.DEMO_PASSWORD in text
    for username in EXPECTED_USERS:
        assert username in text


def test_seed_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=StringIO())
    assert not User.objects.exists()
