"""Every list page runs the same number of queries with few rows and with many."""

import itertools
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.models import CallStatus, OrganisationStatus
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    OrganisationFactory,
    complete_application,
    ngo_user,
)
from tests.queries import queries_for_get

pytestmark = pytest.mark.django_db

BUDGET = 15  # the ceiling for a list page
REFERENCES = itertools.count(1)


def _applications(call, organisation, n):
    for _ in range(n):
        complete_application(call=call, organisation=organisation or OrganisationFactory(),
                             status="submitted", reference=f"VTF{next(REFERENCES):05d}",
                             submitted_at=timezone.now(), countries=["NG", "KE"])


def test_my_applications_costs_the_same_for_two_or_thirty_rows(as_ngo, organisation):
    call = CallFactory()
    _applications(call, organisation, 2)
    few = queries_for_get(as_ngo, reverse("grants:my-applications"))
    _applications(CallFactory(), organisation, 28)
    assert queries_for_get(as_ngo, reverse("grants:my-applications")) == few <= BUDGET


@pytest.mark.parametrize("params", [{}, {"status": "submitted", "sort": "organisation"},
                                    {"priority": "armed-conflict", "country": "NG"}])
def test_the_secretariat_application_list_costs_the_same_for_few_or_many_rows(
        as_secretariat, params):
    call = CallFactory()
    _applications(call, None, 2)
    few = queries_for_get(as_secretariat, reverse("grants:application-list"), params)
    _applications(call, None, 30)
    _applications(CallFactory(), None, 5)
    many = queries_for_get(as_secretariat, reverse("grants:application-list"), params)
    assert many == few <= BUDGET


def test_the_organisation_list_costs_the_same_for_few_or_many_rows(as_secretariat):
    for _ in range(2):
        ngo_user(OrganisationFactory(status=OrganisationStatus.PENDING))
    few = queries_for_get(as_secretariat, reverse("grants:organisation-list"))
    for _ in range(30):
        org = OrganisationFactory()
        ngo_user(org)
        ngo_user(org)
    assert queries_for_get(as_secretariat, reverse("grants:organisation-list")) == few <= BUDGET


def _calls(n, start):
    for i in range(n):
        closed = i % 2 == 0
        CallFactory(number=start + i,
                    status=CallStatus.CLOSED if closed else CallStatus.PUBLISHED,
                    opens_at=timezone.now() - timedelta(days=60),
                    closes_at=timezone.now() + timedelta(days=-5 if closed else 5))


def test_the_public_call_list_costs_the_same_for_few_or_many_calls(client):
    _calls(2, 500)
    few = queries_for_get(client, reverse("grants:call-list"))
    _calls(20, 600)
    assert queries_for_get(client, reverse("grants:call-list")) == few <= BUDGET


def test_the_call_management_list_costs_the_same_for_few_or_many_calls(as_secretariat):
    _calls(2, 500)
    few = queries_for_get(as_secretariat, reverse("grants:call-manage-list"))
    _calls(20, 600)
    for call in CallFactory._meta.model.objects.all()[:5]:
        ApplicationFactory(call=call)
    assert queries_for_get(as_secretariat, reverse("grants:call-manage-list")) == few <= BUDGET


def test_the_home_page_costs_the_same_for_few_or_many_open_calls(client):
    _calls(2, 500)
    few = queries_for_get(client, reverse("home"))
    _calls(20, 600)
    assert queries_for_get(client, reverse("home")) == few <= BUDGET
