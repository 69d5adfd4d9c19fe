"""A donor never sees another donor's records: not in lists, details, receipts or pages."""

from datetime import date

import pytest

from .factories import pledge, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(sweden, norway):
    return {
        "mine": record(sweden, "100.00", received_on=date(2024, 3, 1), bank_reference="SE-1"),
        "theirs": record(norway, "999.00", received_on=date(2024, 3, 1),
                         bank_reference="NO-1"),
        "my_pledge": pledge(sweden), "their_pledge": pledge(norway, "777.00"),
    }


@pytest.mark.parametrize("url", ["/api/v1/contributions/", "/api/v1/pledges/",
                                 "/api/v1/donors/"])
def test_lists_hold_only_the_donor_s_own_records(api_as, donor, records, url):
    body = api_as(donor).get(url).json()
    assert body["count"] == 1
    text = str(body)
    assert "Norway" not in text and "NO-1" not in text and "777.00" not in text


def test_filtering_by_another_donor_finds_nothing(api_as, donor, norway, records):
    assert api_as(donor).get(f"/api/v1/contributions/?donor={norway.pk}").json()["count"] == 0


def test_another_donor_s_records_are_not_found(api_as, donor, norway, records):
    client = api_as(donor)
    for url in (f"/api/v1/contributions/{records['theirs'].pk}/",
                f"/api/v1/contributions/{records['theirs'].pk}/receipt/",
                f"/api/v1/pledges/{records['their_pledge'].pk}/",
                f"/api/v1/donors/{norway.pk}/"):
        assert client.get(url).status_code == 404, url


def test_the_portal_lists_only_the_donor_s_own(web_as, donor, records):
    html = web_as("donor").get("/donor/").content.decode()
    assert "SE-1" not in html  # bank references are internal; receipts are shown
    assert records["mine"].receipt_number in html
    assert records["theirs"].receipt_number not in html and "Norway" not in html


def test_another_donor_s_receipt_is_not_found(web_as, donor, records):
    url = f"/funding/contributions/{records['theirs'].pk}/receipt.pdf"
    assert web_as("donor").get(url).status_code == 404


def test_a_donor_does_not_see_internal_notes_or_portal_users(api_as, donor, sweden, records):
    sweden.notes = "Ask the minister before March."
    sweden.save()
    body = api_as(donor).get(f"/api/v1/donors/{sweden.pk}/").json()
    assert "notes" not in body and "users" not in body
