"""Every role on every donor page and endpoint: allowed, refused (403), hidden (404), or
asked to sign in (login redirect on pages, 401 on the API)."""

from datetime import date

import pytest

from .factories import pledge, record

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "secretariat", "donor", "other_donor_user", "ngo", "reviewer",
         "board_member")


@pytest.fixture
def world(everyone, sweden, norway):
    mine = record(sweden, "100.00", received_on=date(2024, 3, 1))
    p = pledge(sweden)
    return {"donor": sweden.pk, "contribution": mine.pk, "pledge": p.pk}


def expect(codes: dict, role: str) -> int:
    return codes.get(role, codes["*"])


# --- web pages -----------------------------------------------------------------------------

MANAGE_ONLY = {"anonymous": 302, "secretariat": 200, "*": 403}
PAGES = [
    ("/transparency/", {"*": 200}),
    ("/funding/", {"anonymous": 302, "secretariat": 302, "donor": 302, "other_donor_user": 302,
                   "board_member": 302, "*": 403}),
    ("/funding/reports/", {"anonymous": 302, "secretariat": 200, "donor": 200,
                           "other_donor_user": 200, "board_member": 200, "*": 403}),
    ("/funding/reports/2024.pdf", {"anonymous": 302, "secretariat": 200, "donor": 200,
                                   "other_donor_user": 200, "board_member": 200, "*": 403}),
    ("/donor/", {"anonymous": 302, "donor": 200, "other_donor_user": 200, "*": 403}),
    ("/funding/contributions/{contribution}/receipt.pdf", {
        "anonymous": 302, "secretariat": 200, "donor": 200, "other_donor_user": 404,
        "*": 403}),
    ("/funding/donors/", MANAGE_ONLY),
    ("/funding/donors/new/", MANAGE_ONLY),
    ("/funding/donors/{donor}/", MANAGE_ONLY),
    ("/funding/donors/{donor}/edit/", MANAGE_ONLY),
    ("/funding/pledges/", MANAGE_ONLY),
    ("/funding/pledges/new/", MANAGE_ONLY),
    ("/funding/pledges/{pledge}/cancel/", MANAGE_ONLY),
    ("/funding/contributions/", MANAGE_ONLY),
    ("/funding/contributions/new/", MANAGE_ONLY),
    ("/funding/contributions/{contribution}/", MANAGE_ONLY),
    ("/funding/contributions/export.csv", MANAGE_ONLY),
    ("/funding/contributions/export.xlsx", MANAGE_ONLY),
    ("/funding/contributions/import/", MANAGE_ONLY),
    ("/funding/rates/", MANAGE_ONLY),
    ("/funding/targets/", MANAGE_ONLY),
    ("/funding/targets/2024/", MANAGE_ONLY),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url, codes", PAGES, ids=[p[0] for p in PAGES])
def test_each_role_on_each_page(web_as, world, role, url, codes):
    response = web_as(role).get(url.format(**world))
    assert response.status_code == expect(codes, role)
    if response.status_code == 302 and role == "anonymous" and url != "/funding/":
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", ["/funding/donors/new/", "/funding/pledges/new/",
                                 "/funding/contributions/new/", "/funding/rates/",
                                 "/funding/targets/2024/", "/funding/contributions/import/",
                                 "/funding/donors/{donor}/users/",
                                 "/funding/pledges/{pledge}/cancel/"])
def test_only_the_secretariat_may_post_to_the_management_pages(web_as, world, role, url):
    response = web_as(role).post(url.format(**world), {})
    if role == "secretariat":
        assert response.status_code in (200, 400)
    else:
        assert response.status_code == (302 if role == "anonymous" else 403)


# --- API -----------------------------------------------------------------------------------

READ = {"anonymous": 401, "secretariat": 200, "donor": 200, "other_donor_user": 200,
        "*": 403}
OWN = {"anonymous": 401, "secretariat": 200, "donor": 200, "other_donor_user": 404, "*": 403}
WRITE = {"anonymous": 401, "secretariat": "ok", "*": 403}
ENDPOINTS = [
    ("get", "/api/v1/donors/", None, READ),
    ("get", "/api/v1/donors/{donor}/", None, OWN),
    ("post", "/api/v1/donors/", {"name": "Chile", "donor_type": "member_state"}, WRITE),
    ("patch", "/api/v1/donors/{donor}/", {"contact_name": "Ms X"}, WRITE),
    ("get", "/api/v1/pledges/", None, READ),
    ("get", "/api/v1/pledges/{pledge}/", None, OWN),
    ("post", "/api/v1/pledges/", {"donor": "{donor}", "amount": "10.00", "currency": "USD",
                                  "year_from": 2024, "pledged_on": "2024-01-01"}, WRITE),
    ("post", "/api/v1/pledges/{pledge}/cancel/", {"reason": "cut"}, WRITE),
    ("get", "/api/v1/contributions/", None, READ),
    ("get", "/api/v1/contributions/{contribution}/", None, OWN),
    ("get", "/api/v1/contributions/{contribution}/receipt/", None, OWN),
    ("post", "/api/v1/contributions/", {"donor": "{donor}", "amount": "10.00",
                                        "currency": "USD", "received_on": "2024-01-02"},
     WRITE),
    ("get", "/api/v1/exchange-rates/", None, {"anonymous": 401, "secretariat": 200, "*": 403}),
    ("post", "/api/v1/exchange-rates/", {"currency": "EUR", "valid_on": "2024-01-01",
                                         "rate": "1.08"}, WRITE),
    ("get", "/api/v1/annual-targets/", None, {"*": 200}),
    ("post", "/api/v1/annual-targets/", {"year": 2024, "amount_usd": "1400000.00"}, WRITE),
    ("get", "/api/v1/reports/fund-summary/?year=2024", None, {"*": 200}),
    ("get", "/api/v1/reports/iati/", None, {"*": 204}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method, url, body, codes", ENDPOINTS,
                         ids=[f"{e[0]} {e[1]}" for e in ENDPOINTS])
def test_each_role_on_each_endpoint(api_for, world, role, method, url, body, codes):
    data = {k: v.format(**world) if isinstance(v, str) else v for k, v in (body or {}).items()}
    response = getattr(api_for(role), method)(url.format(**world), data, format="json")
    expected = expect(codes, role)
    if expected == "ok":
        assert response.status_code in (200, 201), response.content
    else:
        assert response.status_code == expected, response.content


@pytest.mark.parametrize("role", ROLES)
def test_only_the_secretariat_may_import_through_the_api(api_for, world, role):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("x.csv", b"donor,amount,currency,received_on,bank_reference\n"
                                         b"Sweden,5,USD,2024-01-05,R1\n")
    response = api_for(role).post("/api/v1/contributions/import/",
                                  {"file": upload, "dry_run": "true"}, format="multipart")
    assert response.status_code == expect({"anonymous": 401, "secretariat": 200, "*": 403},
                                           role)
