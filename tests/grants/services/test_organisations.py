import re

import pytest
from django.core import mail

from fundapp.core.errors import NotAllowed, StateConflict, ValidationFailed
from grants.models import OrganisationStatus
from grants.services.organisations import (
    email_verify,
    ngo_register,
    organisation_update,
    organisation_verify,
)
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
ALL_CHECKS = {"registration_certificate": True, "safeguarding_policy": True,
              "track_record": True}


def org_values(**overrides):
    return {"name": "Women's Shelter Kyiv", "country": "UA", "registration_number": "UA-77",
            "psea_declaration": True} | overrides


def register(**overrides):
    return ngo_register(username="olena", email="olena@example.org",
                        password="a-long-passphrase-2026", language="fr",
                        organisation=org_values(**overrides))


def test_registration_creates_an_inactive_user_and_a_pending_organisation(
        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = register()
    assert not user.is_active
    org = user.membership.organisation
    assert org.status == OrganisationStatus.PENDING and user.membership.role == "admin"
    assert mail.outbox and mail.outbox[0].to == ["olena@example.org"]


def test_the_emailed_link_activates_the_account(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        register()
    token = re.search(r"/accounts/verify/([^/\s]+)/", mail.outbox[0].body).group(1)
    user = email_verify(token=token)
    assert user.is_active and user.email_verified


def test_a_tampered_link_is_refused():
    with pytest.raises(ValidationFailed):
        email_verify(token="not-a-token")


def test_registration_without_psea_declaration_is_refused():
    with pytest.raises(ValidationFailed) as exc:
        register(psea_declaration=False)
    assert "psea_declaration" in exc.value.field_errors


def test_same_registration_number_in_same_country_is_refused():
    OrganisationFactory(country="UA", registration_number="UA-77")
    with pytest.raises(ValidationFailed) as exc:
        register()
    assert "registration_number" in exc.value.field_errors


def test_verification_needs_the_whole_checklist(secretariat, organisation):
    organisation.status = OrganisationStatus.PENDING
    organisation.save()
    with pytest.raises(ValidationFailed):
        organisation_verify(actor=secretariat, organisation=organisation, approve=True,
                            checklist={"registration_certificate": True})
    org = organisation_verify(actor=secretariat, organisation=organisation, approve=True,
                              checklist=ALL_CHECKS)
    assert org.verified and org.verified_by == secretariat


def test_rejection_needs_reasons_and_tells_the_members(
        secretariat, ngo, organisation, django_capture_on_commit_callbacks):
    organisation.status = OrganisationStatus.PENDING
    organisation.save()
    with pytest.raises(ValidationFailed):
        organisation_verify(actor=secretariat, organisation=organisation, approve=False)
    with django_capture_on_commit_callbacks(execute=True):
        organisation_verify(actor=secretariat, organisation=organisation, approve=False,
                            reason="Registration certificate expired in 2019.")
    assert any("expired in 2019" in m.body for m in mail.outbox if m.to == [ngo.email])


def test_verifying_a_verified_organisation_is_a_conflict(secretariat, organisation):
    with pytest.raises(StateConflict):
        organisation_verify(actor=secretariat, organisation=organisation, approve=True,
                            checklist=ALL_CHECKS)


def test_only_the_secretariat_verifies(ngo, organisation):
    with pytest.raises(NotAllowed):
        organisation_verify(actor=ngo, organisation=organisation, approve=True,
                            checklist=ALL_CHECKS)


def test_a_member_changing_the_legal_identity_needs_verification_again(ngo, organisation):
    org = organisation_update(actor=ngo, organisation=organisation,
                              values={"registration_number": "NEW-1"})
    assert org.status == OrganisationStatus.PENDING


def test_a_member_updating_contacts_keeps_verification(ngo, organisation):
    org = organisation_update(actor=ngo, organisation=organisation,
                              values={"contact_phone": "+234 1 234 5678"})
    assert org.verified


def test_outsiders_cannot_update_an_organisation(other_ngo, organisation):
    with pytest.raises(NotAllowed):
        organisation_update(actor=other_ngo, organisation=organisation, values={"name": "x"})
