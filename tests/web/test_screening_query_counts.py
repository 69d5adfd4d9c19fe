"""The screening pages cost the same with few rows and with many."""

import pytest
from django.urls import reverse

from grants.services.sanctions import sanctions_list_import
from grants.services.screening import screening_run
from tests.factories import CallFactory, OrganisationFactory
from tests.grants.reviews.helpers import SAMPLE_LIST, submitted_application
from tests.queries import queries_for_get

pytestmark = pytest.mark.django_db
BUDGET = 15


def _screened(secretariat, call, n):
    for i in range(n):
        org = OrganisationFactory(name="Sahel Transit Services" if i % 2 else f"Safe Homes {i}")
        app = submitted_application(call=call, organisation=org)
        if i % 3:
            screening_run(actor=secretariat, application=app)


@pytest.mark.parametrize("params", [{}, {"status": "eligible"}])
def test_the_screening_queue_costs_the_same_for_few_or_many_rows(as_secretariat, secretariat,
                                                                 params):
    sanctions_list_import(actor=None, data=SAMPLE_LIST.read_bytes(), source_name="c.xml")
    call = CallFactory()
    _screened(secretariat, call, 3)
    url = reverse("grants:screening-queue")
    few = queries_for_get(as_secretariat, url, params | {"call": call.pk})
    _screened(secretariat, call, 20)
    assert queries_for_get(as_secretariat, url, params | {"call": call.pk}) == few <= BUDGET


def test_the_sanctions_list_page_costs_the_same_for_few_or_many_imports(as_secretariat):
    sanctions_list_import(actor=None, data=SAMPLE_LIST.read_bytes(), source_name="c.xml")
    few = queries_for_get(as_secretariat, reverse("grants:sanctions-lists"))
    for _ in range(12):
        sanctions_list_import(actor=None, data=SAMPLE_LIST.read_bytes(), source_name="c.xml")
    assert queries_for_get(as_secretariat, reverse("grants:sanctions-lists")) == few <= BUDGET


def test_the_checklist_page_does_not_grow_with_matches(as_secretariat, secretariat):
    sanctions_list_import(actor=None, data=SAMPLE_LIST.read_bytes(), source_name="c.xml")
    org = OrganisationFactory(name="Crescent Relief Foundation")
    app = submitted_application(organisation=org)
    screening_run(actor=secretariat, application=app)
    url = reverse("grants:screening-detail", args=[app.pk])
    few = queries_for_get(as_secretariat, url)
    org.former_names, org.contact_name = "Sahel Transit Services", "Ibrahim Kareem"
    org.save()
    screening_run(actor=secretariat, application=app)
    assert app.sanctions_matches.count() == 3
    assert queries_for_get(as_secretariat, url) == few <= BUDGET
