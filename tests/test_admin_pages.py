"""The grants admin: read-only pages load for staff; bank account numbers stay masked."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.grants.implementation.helpers import active_grant

pytestmark = pytest.mark.django_db

PAGES = ["boardmembership", "boardsession", "agendaitem", "vote", "grant", "tranche",
         "reportdue", "agreementsignature", "bankdetails", "disbursement", "progressreport",
         "grantclosure"]


@pytest.fixture
def admin_client(db):
    user = get_user_model().objects.create_superuser("root", "root@example.org", "x-Pass-123!")
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def grant(organisation, ngo, secretariat):
    return active_grant(organisation, ngo, secretariat)


@pytest.mark.parametrize("model", PAGES)
def test_the_changelists_load(admin_client, grant, model):
    response = admin_client.get(f"/admin/grants/{model}/")
    assert response.status_code == 200
    assert admin_client.get(f"/admin/grants/{model}/?q=VTF").status_code == 200


def test_bank_details_never_show_the_full_account_number(admin_client, grant):
    bank = grant.bank_details
    pages = [admin_client.get("/admin/grants/bankdetails/"),
             admin_client.get(f"/admin/grants/bankdetails/{bank.pk}/change/"),
             admin_client.get(f"/admin/grants/bankdetails/{bank.pk}/history/")]
    for page in pages:
        assert page.status_code == 200
        text = page.content.decode()
        assert "3456 7890" not in text and "345678901234" not in text
        assert "1234" in text


def test_a_grant_page_is_read_only(admin_client, grant):
    page = admin_client.get(f"/admin/grants/grant/{grant.pk}/change/")
    assert page.status_code == 200
    assert admin_client.get("/admin/grants/grant/add/").status_code == 403
