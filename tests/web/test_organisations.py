"""An NGO's own organisation page, and the secretariat's list and verification."""

import pytest
from django.urls import reverse

from grants.models import OrganisationStatus
from tests.factories import OrganisationFactory, ngo_user

pytestmark = pytest.mark.django_db

ALL_CHECKS = {"check_registration_certificate": "on", "check_safeguarding_policy": "on",
              "check_track_record": "on"}


def _org_form(org, **overrides) -> dict:
    data = {"name": org.name, "country": org.country.code,
            "registration_number": org.registration_number, "year_founded": "2005",
            "contact_name": "", "contact_email": "", "contact_phone": "", "website": "",
            "address": "", "annual_budget_usd": "250000.00", "un_partner_portal_id": "",
            "track_record": "", "psea_declaration": "on"}
    data.update(overrides)
    return data


def test_my_organisation_shows_the_status_and_the_rejection_reasons(login):
    org = OrganisationFactory(status=OrganisationStatus.REJECTED,
                              status_reason="The certificate has expired.")
    body = login(ngo_user(org)).get(reverse("grants:my-organisation")).content.decode()
    assert org.name in body and "Rejected" in body and "The certificate has expired." in body


def test_an_ngo_updates_its_contact_details(as_ngo, organisation):
    response = as_ngo.post(reverse("grants:my-organisation-edit"),
                           _org_form(organisation, contact_phone="+234 800 000 0000"))
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.contact_phone == "+234 800 000 0000"
    assert organisation.status == OrganisationStatus.VERIFIED


def test_changing_the_registration_number_sends_the_organisation_back_to_verification(
        as_ngo, organisation):
    response = as_ngo.post(reverse("grants:my-organisation-edit"),
                           _org_form(organisation, registration_number="RC-NEW-1"), follow=True)
    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.PENDING
    assert "verify it again" in response.content.decode()


def test_a_negative_budget_is_refused_and_the_input_kept(as_ngo, organisation):
    response = as_ngo.post(reverse("grants:my-organisation-edit"),
                           _org_form(organisation, annual_budget_usd="-5",
                                     contact_name="Typed name"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "greater than or equal to 0" in body and 'value="Typed name"' in body


def test_dropping_the_psea_declaration_is_refused(as_ngo, organisation):
    data = _org_form(organisation)
    del data["psea_declaration"]
    response = as_ngo.post(reverse("grants:my-organisation-edit"), data)
    assert response.status_code == 400
    assert "PSEA declaration is required" in response.content.decode()


def test_the_secretariat_filters_and_searches_organisations(as_secretariat):
    OrganisationFactory(name="Pending Hope", status=OrganisationStatus.PENDING)
    OrganisationFactory(name="Verified Haven")
    body = as_secretariat.get(reverse("grants:organisation-list"),
                              {"status": "pending"}).content.decode()
    assert "Pending Hope" in body and "Verified Haven" not in body
    body = as_secretariat.get(reverse("grants:organisation-list"),
                              {"q": "haven"}).content.decode()
    assert "Verified Haven" in body and "Pending Hope" not in body


def test_the_secretariat_verifies_an_organisation_with_the_full_checklist(as_secretariat):
    org = OrganisationFactory(status=OrganisationStatus.PENDING)
    response = as_secretariat.post(reverse("grants:organisation-verify", args=[org.pk]),
                                   {**ALL_CHECKS, "decision": "approve", "reasons": ""})
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.status == OrganisationStatus.VERIFIED
    assert all(org.verification_checklist.values())


def test_verifying_with_an_incomplete_checklist_is_refused(as_secretariat):
    org = OrganisationFactory(status=OrganisationStatus.PENDING)
    response = as_secretariat.post(reverse("grants:organisation-verify", args=[org.pk]), {
        "check_registration_certificate": "on", "decision": "approve"})
    assert response.status_code == 400
    assert "Complete the checklist before verifying" in response.content.decode()
    org.refresh_from_db()
    assert org.status == OrganisationStatus.PENDING


def test_rejecting_needs_reasons_which_the_ngo_then_reads(as_secretariat, login):
    org = OrganisationFactory(status=OrganisationStatus.PENDING)
    url = reverse("grants:organisation-verify", args=[org.pk])
    response = as_secretariat.post(url, {"decision": "reject", "reasons": ""})
    assert "Give the reasons for rejection" in response.content.decode()
    as_secretariat.post(url, {"decision": "reject", "reasons": "No safeguarding policy."})
    org.refresh_from_db()
    assert org.status == OrganisationStatus.REJECTED
    body = login(ngo_user(org)).get(reverse("grants:my-organisation")).content.decode()
    assert "No safeguarding policy." in body


def test_an_unknown_organisation_is_not_found(as_secretariat):
    assert as_secretariat.get(reverse("grants:organisation-verify",
                                      args=[999999])).status_code == 404
