"""Cloning a call in the pages: the secretariat's form lands on the new draft's edit page."""

from decimal import Decimal

import pytest
from django.urls import reverse

from grants.models import Call, CallStatus, ReviewCriterion
from tests.factories import CallFactory

pytestmark = pytest.mark.django_db
OTHERS = ["ngo", "other_ngo", "reviewer", "board_member", "donor"]


@pytest.fixture
def source(db):
    call = CallFactory(number=8, status=CallStatus.CLOSED)
    ReviewCriterion.objects.create(call=call, code="relevance", name_en="Relevance to victims",
                                   weight=Decimal("3"))
    return call


def form(number="9"):
    return {"number": number, "opens_at": "2031-01-27T09:00", "closes_at": "2031-03-31T17:00"}


def test_the_call_page_offers_the_clone_to_the_secretariat_only(login, secretariat, ngo,
                                                                source):
    url = reverse("grants:call-detail", args=[source.pk])
    assert "Clone this call" in login(secretariat).get(url).content.decode()
    assert "Clone this call" not in login(ngo).get(url).content.decode()


def test_the_form_suggests_the_next_number_and_the_same_dates_a_year_later(login, secretariat,
                                                                           source):
    CallFactory(number=12)
    page = login(secretariat).get(reverse("grants:call-clone", args=[source.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert 'value="13"' in body
    assert f'value="{source.opens_at.year + 1}' in body
    assert "Relevance to victims" in body


def test_cloning_lands_on_the_new_drafts_edit_page(login, secretariat, source):
    client = login(secretariat)
    response = client.post(reverse("grants:call-clone", args=[source.pk]), form())
    clone = Call.objects.get(number=9)
    assert response.status_code == 302
    assert response.url == reverse("grants:call-edit", args=[clone.pk])
    edit = client.get(response.url).content.decode()
    assert clone.status == CallStatus.DRAFT
    assert 'value="armed-conflict"' in edit and 'value="women-girls"' in edit  # editable
    rubric = client.get(reverse("grants:rubric-edit", args=[clone.pk])).content.decode()
    assert 'value="relevance"' in rubric


def test_a_taken_number_is_a_400_on_the_field(login, secretariat, source):
    response = login(secretariat).post(reverse("grants:call-clone", args=[source.pk]),
                                       form(number="8"))
    assert response.status_code == 400
    assert "A call with this number exists." in response.content.decode()
    assert Call.objects.count() == 1


def test_dates_in_the_wrong_order_are_a_400(login, secretariat, source):
    data = form() | {"closes_at": "2030-01-01T09:00"}
    response = login(secretariat).post(reverse("grants:call-clone", args=[source.pk]), data)
    assert response.status_code == 400
    assert "The call must close after it opens." in response.content.decode()


@pytest.mark.parametrize("who", OTHERS)
def test_nobody_else_clones(request, login, who, source):
    client = login(request.getfixturevalue(who))
    url = reverse("grants:call-clone", args=[source.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, form()).status_code == 403
    assert Call.objects.count() == 1


def test_anonymous_visitors_are_sent_to_sign_in(client, source):
    response = client.get(reverse("grants:call-clone", args=[source.pk]))
    assert response.status_code == 302 and "login" in response.url


def test_an_unknown_call_is_a_404(login, secretariat):
    assert login(secretariat).get(reverse("grants:call-clone", args=[999999])
                                  ).status_code == 404
