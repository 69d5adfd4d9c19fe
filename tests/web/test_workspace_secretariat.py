"""The secretariat's home page (/dashboard/) and the lists its work items link to: the panel
(contributions against the target, open calls, the next Board session), the items' counts,
the lists' filters shown and removable, sorting, page size and count, and query budgets that
do not grow with rows (home page, work-queue endpoint, each list)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from fundapp.accounts.roles import Role
from grants.models import BoardSession, CallStatus, Message, OrganisationStatus, SessionKind
from tests.donors.factories import DonorFactory, record
from tests.factories import CallFactory, OrganisationFactory, UserFactory
from tests.grants.board.helpers import recommended_call
from tests.grants.reviews.helpers import submitted_application
from tests.queries import queries_for_get

pytestmark = pytest.mark.django_db

HOME_BUDGET = 60
LIST_BUDGET = 30


def _contribution(amount: str) -> None:
    record(DonorFactory(), amount=amount, received_on=timezone.localdate())


def _rows(n: int) -> None:
    call = CallFactory(closes_at=timezone.now() + timedelta(days=5))
    for _ in range(n):
        app = submitted_application(call=call)
        OrganisationFactory(status=OrganisationStatus.PENDING)
        Message.objects.create(application=app, author=UserFactory(), body="A question")


# --- the home page --------------------------------------------------------------------------


def test_the_home_page_lists_the_secretariats_work_with_counts_and_links(login, secretariat):
    _rows(3)
    response = login(secretariat).get(reverse("dashboard"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-code="applications_to_screen" data-count="3"' in body
    assert 'data-code="organisations_to_verify" data-count="3"' in body
    assert 'data-code="calls_closing_soon" data-count="1"' in body
    assert reverse("grants:screening-queue") + "?status=to_screen" in body
    assert "work-item is-done" in body  # the items at zero are shown quieter


def test_the_panel_shows_the_year_against_the_target_open_calls_and_the_next_session(
        login, secretariat):
    _contribution("600000.00")
    call = CallFactory(title_en="Global call for proposals 2026",
                       closes_at=timezone.now() + timedelta(days=9))
    final = recommended_call()
    BoardSession.objects.create(call=final, kind=SessionKind.MEETING,
                                meeting_date=timezone.localdate() + timedelta(days=6))
    body = login(secretariat).get(reverse("dashboard")).content.decode()
    assert "USD 600,000.00" in body and "USD 1,500,000.00" in body
    assert "40.0%" in body and '<progress max="100" value="40"' in body
    assert call.title_en in body and reverse("grants:call-detail", args=[call.pk]) in body
    assert f"Call no. {final.number}" in body and "Meets on" in body


def test_the_panel_reads_in_french(login, secretariat):
    secretariat.language = "fr"
    secretariat.save()
    _contribution("600000.00")
    with translation.override("fr"):
        body = login(secretariat).get(reverse("dashboard")).content.decode()
    assert "600\u202f000,00\xa0$US" in body or "600 000,00" in body.replace("\u202f", " ") \
        .replace("\xa0", " ")


def test_the_home_page_and_the_endpoint_cost_the_same_for_few_or_many_rows(
        login, api_as, secretariat):
    client, api = login(secretariat), api_as(secretariat)
    _rows(2)
    home_few = queries_for_get(client, reverse("dashboard"))
    api_few = queries_for_get(api, "/api/v1/me/work-queue/")
    _rows(20)
    home_many = queries_for_get(client, reverse("dashboard"))
    api_many = queries_for_get(api, "/api/v1/me/work-queue/")
    assert home_many == home_few <= HOME_BUDGET
    assert api_many == api_few <= HOME_BUDGET


# --- the lists ------------------------------------------------------------------------------


LISTS = [
    ("grants:application-list", {"status": "submitted"}),
    ("grants:screening-queue", {"status": "to_screen", "sanctions": "pending"}),
    ("grants:organisation-list", {"status": "pending"}),
    ("grants:call-manage-list", {"closing": "14"}),
    ("grants:ranking-calls", {"ready": "1"}),
    ("grants:review-calls", {}),
    ("grants:review-list", {"overdue": "1"}),
    ("grants:messages-awaiting", {"kind": "application"}),
]


@pytest.mark.parametrize("name, params", LISTS)
def test_each_list_costs_the_same_for_few_or_many_rows(login, secretariat, name, params):
    client = login(secretariat)
    _rows(2)
    few = queries_for_get(client, reverse(name), params)
    _rows(20)
    many = queries_for_get(client, reverse(name), params)
    assert many == few <= LIST_BUDGET


@pytest.mark.parametrize("name, params", [p for p in LISTS if p[1]])
def test_each_filter_shows_as_a_chip_with_a_link_that_removes_it(login, secretariat, name,
                                                                 params):
    response = login(secretariat).get(reverse(name), params)
    assert response.status_code == 200
    found = response.context["listing"]
    assert {a.name for a in found.applied} == set(params)
    body = response.content.decode()
    assert 'class="chip"' in body and "Clear all filters" in body
    for applied in found.applied:
        assert applied.name + "=" not in applied.remove_url
        assert applied.remove_url.replace("&", "&amp;") in body
    assert 'class="muted small list-count" data-count=' in body


def test_the_organisation_list_filters_sorts_and_sizes(login, secretariat):
    for i in range(30):
        OrganisationFactory(name=f"Org {i:02d}",
                            status=OrganisationStatus.PENDING if i < 3 else "verified")
    client = login(secretariat)
    page = client.get(reverse("grants:organisation-list"), {"status": "pending"}).context["page"]
    assert page.paginator.count == 3
    page = client.get(reverse("grants:organisation-list"), {"size": "50"}).context["page"]
    assert page.paginator.per_page == 50 and len(page.object_list) == 30
    page = client.get(reverse("grants:organisation-list"), {"sort": "name"}).context["page"]
    names = [o.name for o in page.object_list]
    assert names == sorted(names)
    # an unknown value is ignored and said, never a 500
    response = client.get(reverse("grants:organisation-list"), {"status": "nonsense"})
    assert response.status_code == 200 and response.context["page"].paginator.count == 30
    assert "left out" in response.content.decode()


def test_the_call_list_shows_the_calls_closing_within_14_days(login, secretariat):
    soon = CallFactory(closes_at=timezone.now() + timedelta(days=2))
    CallFactory(closes_at=timezone.now() + timedelta(days=40))
    CallFactory(status=CallStatus.DRAFT, closes_at=timezone.now() + timedelta(days=2))
    response = login(secretariat).get(reverse("grants:call-manage-list"), {"closing": "14"})
    assert [c.pk for c in response.context["page"]] == [soon.pk]
    assert "Closing within 14 days" in response.content.decode()
    response = login(secretariat).get(reverse("grants:call-manage-list"), {"sort": "closes"})
    closes = [c.closes_at for c in response.context["page"]]
    assert closes == sorted(closes)


def test_the_application_list_keeps_its_column_sorts_and_the_country_names(login, secretariat):
    a = submitted_application(title="Alpha shelter", countries=["KE"])
    b = submitted_application(title="Beta legal aid", countries=["CI"])
    client = login(secretariat)
    body = client.get(reverse("grants:application-list"), {"sort": "-title"}).content.decode()
    assert body.index(b.title) < body.index(a.title) and 'aria-sort="descending"' in body
    response = client.get(reverse("grants:application-list"), {"country": "KE"})
    assert [x.pk for x in response.context["page"]] == [a.pk]
    body = response.content.decode()
    assert "Country: Kenya" in body  # the chip names the country
    assert '<option value="CI">Côte d’Ivoire</option>' in body \
        or "Côte d" in body


def test_the_messages_page_links_each_thread_and_says_since_when(login, secretariat, ngo,
                                                                 organisation):
    app = submitted_application(organisation=organisation)
    Message.objects.create(application=app, author=ngo, body="Could we move the start date?")
    body = login(secretariat).get(reverse("grants:messages-awaiting")).content.decode()
    assert reverse("grants:application-messages", args=[app.pk]) in body
    assert organisation.name in body and "Could we move the start date?" in body
    assert 'data-count="1"' in body


def test_the_secretariat_pages_are_not_for_others(login, ngo, reviewer):
    for user in (ngo, reviewer):
        client = login(user)
        for name in ("grants:messages-awaiting", "grants:review-list"):
            assert client.get(reverse(name)).status_code in (403, 404), (user, name)


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for name in ("dashboard", "grants:messages-awaiting", "grants:review-list"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "login" in response.url


def test_a_donor_role_user_has_no_secretariat_section(login, donor):
    response = login(donor).get(reverse("dashboard"))
    assert response.status_code == 200
    assert "secretariat" not in [s["role"] for s in response.context["sections"]]
    assert Role.SECRETARIAT not in [s["role"] for s in response.context["sections"]]
