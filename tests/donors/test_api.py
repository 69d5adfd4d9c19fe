"""The donor API: writes through the services, filters, ordering, money as strings, errors."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from donors.models import Contribution
from donors.services.pledges import pledge_cancel

from .factories import DonorFactory, pledge, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(api_as, secretariat):
    return api_as(secretariat)


def test_the_secretariat_records_a_contribution_and_gets_money_as_strings(staff, sweden,
                                                                          eur_rates):
    response = staff.post("/api/v1/contributions/", {
        "donor": sweden.pk, "amount": "250000", "currency": "eur",
        "received_on": "2024-02-15", "bank_reference": "BNK-9"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["amount"], body["currency"], body["amount_usd"]) == (
        "250000.00", "EUR", "270000.00")
    assert body["exchange_rate"] == "1.0800000000"
    assert body["receipt_number"] == "VTF-2024-00001"
    assert body["receipt_url"] == f"/api/v1/contributions/{body['id']}/receipt/"


@pytest.mark.parametrize("changes, field, status", [
    ({"amount": "0"}, "amount", 400),
    ({"amount": "-10"}, "amount", 400),
    ({"amount": "ten"}, "amount", 400),
    ({"amount": "1.234"}, "amount", 400),
    ({"currency": "XYZ"}, "currency", 400),
    ({"currency": "GBP"}, "exchange_rate", 400),
    ({"received_on": "2999-01-01"}, "received_on", 400),
    ({"received_on": "yesterday"}, "received_on", 400),
    ({"donor": 999999}, "donor", 400),
    ({"earmarking": "theme"}, "earmark_theme", 400),
])
def test_bad_input_is_a_400_naming_the_field_and_saves_nothing(staff, sweden, changes, field,
                                                               status):
    body = {"donor": sweden.pk, "amount": "100.00", "currency": "USD",
            "received_on": "2024-01-02"} | changes
    response = staff.post("/api/v1/contributions/", body, format="json")
    assert response.status_code == status
    assert field in response.json(), response.json()
    assert Contribution.objects.count() == 0


def test_a_payment_on_a_cancelled_pledge_is_a_409_naming_the_pledge(staff, sweden):
    p = pledge_cancel(actor=None, pledge=pledge(sweden), reason="Cut")
    response = staff.post("/api/v1/contributions/", {
        "donor": sweden.pk, "amount": "100.00", "currency": "USD", "received_on": "2024-01-02",
        "pledge": p.pk}, format="json")
    assert response.status_code == 409
    assert "cancelled" in response.json()["pledge"][0]


def test_a_future_date_names_today(staff, sweden):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = staff.post("/api/v1/contributions/", {
        "donor": sweden.pk, "amount": "1.00", "currency": "USD", "received_on": tomorrow},
        format="json")
    assert "after today" in response.json()["received_on"][0]


@pytest.fixture
def mixed(sweden, norway, eur_rates):
    record(sweden, "300.00", received_on=date(2024, 3, 1))
    record(sweden, "100.00", "EUR", received_on=date(2024, 1, 10))
    record(norway, "200.00", received_on=date(2023, 5, 1))


@pytest.mark.parametrize("query, amounts", [
    ("?year=2024", ["300.00", "100.00"]),
    ("?currency=eur", ["100.00"]),
    ("?year=2023", ["200.00"]),
    ("?ordering=amount_usd", ["100.00", "200.00", "300.00"]),  # EUR 100 = USD 108.50
    ("?ordering=-received_on", ["300.00", "100.00", "200.00"]),
    ("?donor_type=individual", []),
])
def test_contributions_filter_and_order(staff, mixed, query, amounts):
    body = staff.get(f"/api/v1/contributions/{query}").json()
    assert [c["amount"] for c in body["results"]] == amounts


def test_contributions_filter_by_donor(staff, mixed, norway):
    body = staff.get(f"/api/v1/contributions/?donor={norway.pk}").json()
    assert [c["donor_name"] for c in body["results"]] == ["Norway"]


@pytest.mark.parametrize("query", ["?year=abc", "?donor=x", "?donor=0", "?ordering=note"])
def test_bad_filters_never_crash(staff, mixed, query):
    assert staff.get(f"/api/v1/contributions/{query}").status_code in (200, 400)


def test_pledges_filter_by_covered_year_and_show_the_latest_payment(staff, sweden):
    p = pledge(sweden, "500.00", year=2024, year_to=2025)
    pledge(sweden, "90.00", year=2023)
    record(sweden, "100.00", received_on=date(2024, 4, 1), pledge=p)
    body = staff.get("/api/v1/pledges/?year=2025").json()
    assert [(r["amount"], r["status"], r["paid_amount"], r["received_on"])
            for r in body["results"]] == [("500.00", "partly_paid", "100.00", "2024-04-01")]


def test_the_secretariat_records_and_cancels_a_pledge(staff, sweden):
    response = staff.post("/api/v1/pledges/", {
        "donor": sweden.pk, "amount": "1000", "currency": "USD", "year_from": 2025,
        "year_to": 2026, "pledged_on": "2024-11-01", "expected_on": "2025-06-30"},
        format="json")
    assert response.status_code == 201, response.content
    assert response.json()["amount_usd"] == "1000.00"
    pk = response.json()["id"]
    cancelled = staff.post(f"/api/v1/pledges/{pk}/cancel/", {"reason": "Budget cut"},
                           format="json")
    assert cancelled.json()["status"] == "cancelled"
    again = staff.post(f"/api/v1/pledges/{pk}/cancel/", {"reason": "Twice"}, format="json")
    assert again.status_code == 409


def test_the_secretariat_adds_and_changes_a_donor(staff, donor):
    created = staff.post("/api/v1/donors/", {"name": "Chile", "donor_type": "member_state",
                                             "country": "cl", "language": "fr"}, format="json")
    assert created.status_code == 201 and created.json()["country"] == "CL"
    pk = created.json()["id"]
    changed = staff.patch(f"/api/v1/donors/{pk}/", {"anonymous": True}, format="json")
    assert changed.json()["anonymous"] is True
    bad = staff.post("/api/v1/donors/", {"name": "", "donor_type": "alien"}, format="json")
    assert bad.status_code == 400 and {"name", "donor_type"} <= set(bad.json())


def test_rates_and_targets_through_the_api(staff, api):
    assert staff.post("/api/v1/exchange-rates/", {"currency": "chf", "valid_on": "2024-01-01",
                                                  "rate": "1.1234"}, format="json"
                      ).status_code == 201
    usd = staff.post("/api/v1/exchange-rates/", {"currency": "USD", "valid_on": "2024-01-01",
                                                 "rate": "2"}, format="json")
    assert usd.status_code == 400 and "currency" in usd.json()
    target = staff.post("/api/v1/annual-targets/", {"year": 2027, "amount_usd": "1750000.00",
                                                    "reason": "Board decision"}, format="json")
    assert target.status_code == 201
    assert api.get("/api/v1/annual-targets/").json()["results"][0]["amount_usd"] == "1750000.00"


def test_the_receipt_downloads_as_a_pdf(staff, sweden):
    c = record(sweden, "10.00")
    response = staff.get(f"/api/v1/contributions/{c.pk}/receipt/")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_import_through_the_api_previews_then_imports(staff, sweden):
    csv = (b"donor,amount,currency,received_on,bank_reference\n"
           b"Sweden,5,USD,2024-01-05,R1\nSweden,x,USD,2024-01-05,R2\n")
    preview = staff.post("/api/v1/contributions/import/", {
        "file": SimpleUploadedFile("a.csv", csv), "dry_run": "true"}, format="multipart")
    assert preview.status_code == 200
    body = preview.json()
    assert body["ok"] is False and body["counts"] == {"new": 1, "duplicate": 0, "error": 1}
    assert body["rows"][0]["row"] == 3 and body["rows"][0]["status"] == "error"
    refused = staff.post("/api/v1/contributions/import/", {
        "file": SimpleUploadedFile("a.csv", csv)}, format="multipart")
    assert refused.status_code == 400 and refused.json()["file"][0].startswith("Row 3:")
    good = csv.splitlines()[:2]
    done = staff.post("/api/v1/contributions/import/", {
        "file": SimpleUploadedFile("a.csv", b"\n".join(good))}, format="multipart")
    assert done.status_code == 201 and done.json()["counts"]["new"] == 1


def test_a_donor_sees_its_own_donor_record(api_as, donor, sweden):
    DonorFactory(name="Somebody else")
    body = api_as(donor).get("/api/v1/donors/").json()
    assert [d["name"] for d in body["results"]] == ["Sweden"]
