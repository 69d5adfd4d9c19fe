"""The secretariat's pages and the donor portal, used as a person would."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from donors.models import AnnualTarget, Contribution, Donor, ExchangeRate, PledgeStatus

from .factories import pledge, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(web_as, secretariat):
    return web_as("secretariat")


def test_recording_a_contribution_from_the_form(staff, sweden, eur_rates):
    p = pledge(sweden, "1000.00", "EUR", pledged_on=date(2024, 1, 5))
    response = staff.post("/funding/contributions/new/", {
        "donor": sweden.pk, "amount": "400.00", "currency": "EUR", "received_on": "2024-03-04",
        "bank_reference": "WEB-1", "pledge": p.pk, "earmarking": "unearmarked"})
    c = Contribution.objects.get()
    assert response.status_code == 302 and response["Location"] == (
        f"/funding/contributions/{c.pk}/")
    assert c.amount_usd == Decimal("436.00")
    p.refresh_from_db()
    assert p.status == PledgeStatus.PARTLY_PAID
    page = staff.get(response["Location"]).content.decode()
    assert "VTF-2024-00001" in page


def test_a_refused_contribution_shows_the_reason_next_to_the_field(staff, sweden):
    response = staff.post("/funding/contributions/new/", {
        "donor": sweden.pk, "amount": "400.00", "currency": "GBP", "received_on": "2024-03-04",
        "earmarking": "unearmarked"})
    assert response.status_code == 400
    assert "No exchange rate for GBP" in response.content.decode()
    assert Contribution.objects.count() == 0


def test_the_form_refuses_a_non_numeric_amount(staff, sweden):
    response = staff.post("/funding/contributions/new/", {
        "donor": sweden.pk, "amount": "lots", "currency": "USD", "received_on": "2024-03-04",
        "earmarking": "unearmarked"})
    assert response.status_code == 400 and "Enter a number." in response.content.decode()


def test_importing_a_file_in_two_steps(staff, sweden):
    csv = b"donor,amount,currency,received_on,bank_reference\nSweden,5,USD,2024-01-05,R1\n"
    response = staff.post("/funding/contributions/import/",
                          {"file": SimpleUploadedFile("bank.csv", csv)})
    assert response.status_code == 302
    preview = staff.get(response["Location"])
    assert "Import 1 contribution" in preview.content.decode()
    assert Contribution.objects.count() == 0
    done = staff.post(response["Location"])
    assert done.status_code == 302 and Contribution.objects.count() == 1
    again = staff.post(response["Location"], follow=True)
    assert "already been imported" in again.content.decode()
    assert Contribution.objects.count() == 1


def test_a_bad_file_shows_why_on_the_preview(staff, sweden):
    response = staff.post("/funding/contributions/import/", {
        "file": SimpleUploadedFile("bank.csv", "donor;montant\nSuède;5\n".encode("latin-1"))},
        follow=True)
    assert "not UTF-8" in response.content.decode()


def test_adding_a_donor_and_giving_a_user_portal_access(staff, ngo):
    response = staff.post("/funding/donors/new/", {
        "name": "Fondation Lumière", "donor_type": "foundation", "country": "FR",
        "language": "fr"})
    donor = Donor.objects.get(name="Fondation Lumière")
    assert response["Location"] == f"/funding/donors/{donor.pk}/"
    staff.post(f"/funding/donors/{donor.pk}/users/", {"username": "ngo"})
    assert list(donor.users.all()) == [ngo]
    refused = staff.post(f"/funding/donors/{donor.pk}/users/", {"username": "nobody"})
    assert refused.status_code == 400 and "No user has this username." in \
        refused.content.decode()


def test_changing_a_target_keeps_its_history(staff):
    staff.post("/funding/targets/2027/", {"amount_usd": "1600000.00", "reason": "Board"})
    staff.post("/funding/targets/2027/", {"amount_usd": "1700000.00", "reason": "Again"})
    assert AnnualTarget.objects.get(year=2027).amount_usd == Decimal("1700000.00")
    page = staff.get("/funding/targets/2027/").content.decode()
    assert "1,600,000.00" in page and "1,700,000.00" in page and "Again" in page


def test_adding_a_rate(staff):
    staff.post("/funding/rates/", {"currency": "CHF", "valid_on": "2024-02-01",
                                   "rate": "1.1450", "source": "UN operational rate"})
    assert ExchangeRate.objects.get(currency="CHF").rate == Decimal("1.1450")


def test_cancelling_a_pledge_from_its_page(staff, sweden):
    p = pledge(sweden)
    staff.post(f"/funding/pledges/{p.pk}/cancel/", {"reason": "Budget cut"})
    p.refresh_from_db()
    assert p.status == PledgeStatus.CANCELLED


def test_the_lists_filter(staff, sweden, norway):
    record(sweden, "10.00", received_on=date(2024, 1, 2), bank_reference="S-24")
    record(norway, "10.00", received_on=date(2023, 1, 2), bank_reference="N-23")
    html = staff.get("/funding/contributions/?year=2024").content.decode()
    assert "S-24" in html and "N-23" not in html
    html = staff.get(f"/funding/contributions/?donor={norway.pk}").content.decode()
    assert "N-23" in html and "S-24" not in html


def test_the_portal_offers_each_receipt(web_as, donor, sweden):
    c = record(sweden, "10.00")
    html = web_as("donor").get("/donor/").content.decode()
    assert f"/funding/contributions/{c.pk}/receipt.pdf" in html
    response = web_as("donor").get(f"/funding/contributions/{c.pk}/receipt.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="receipt-{c.receipt_number}.pdf"')


def test_the_menu_leads_each_role_to_its_contribution_pages(web_as, donor, secretariat,
                                                            board_member):
    assert web_as("secretariat").get("/funding/")["Location"] == "/funding/contributions/"
    assert web_as("donor").get("/funding/")["Location"] == "/donor/"
    assert web_as("board_member").get("/funding/")["Location"] == "/funding/reports/"
    assert web_as("anonymous").get("/funding/")["Location"] == "/transparency/"


def test_the_transparency_page_needs_no_login_and_shows_the_year(client, sweden):
    record(sweden, "750000.00", received_on=date(2024, 5, 1))
    html = client.get("/transparency/?year=2024").content.decode()
    assert "USD 750,000.00" in html and "50.0%" in html and "<svg" in html
