"""Irreversible steps on the web need their confirmation: without it nothing is done, the
answer says what would happen and offers the same form again; each page says it first."""

from html import unescape

import pytest
from django.urls import reverse

from grants.confirmations import STEPS
from grants.models import (
    ApplicationStatus,
    BoardSession,
    CallStatus,
    Disbursement,
    GrantClosure,
    GrantStatus,
    PortfolioRecommendation,
    SessionStatus,
)
from grants.services.implementation import agreement_accept
from tests.factories import CallFactory, complete_application
from tests.grants.board.helpers import ample_fund, meeting, recommended_call, sitting_board
from tests.grants.implementation.helpers import active_grant, make_grant, today
from tests.grants.ranking_integration.builders import hand_checked_call

from .conftest import CONFIRMED

pytestmark = pytest.mark.django_db
REFUSED = "Nothing has been done yet."


def what(step: str) -> str:
    return str(STEPS[step][0])


def text(response) -> str:
    return unescape(response.content.decode())


def assert_refused(response, step: str) -> str:
    body = text(response)
    assert response.status_code == 400
    assert REFUSED in body and what(step) in body
    assert 'name="confirmed" value="yes"' in body
    return body


@pytest.fixture
def draft(organisation, open_call):
    return complete_application(organisation=organisation, call=open_call)


def test_submitting_without_confirmation_is_refused_and_the_draft_stays_a_draft(as_ngo, draft):
    response = as_ngo.post(reverse("grants:application-submit", args=[draft.pk]))

    assert_refused(response, "application-submit")
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.DRAFT


def test_a_wrong_confirmation_value_is_no_confirmation(as_ngo, draft):
    response = as_ngo.post(reverse("grants:application-submit", args=[draft.pk]),
                           {"confirmed": "on"})

    assert_refused(response, "application-submit")
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.DRAFT


def test_submitting_with_confirmation_submits(as_ngo, draft):
    response = as_ngo.post(reverse("grants:application-submit", args=[draft.pk]), CONFIRMED)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.SUBMITTED


def test_the_draft_page_says_what_submitting_does(as_ngo, draft):
    body = text(as_ngo.get(reverse("grants:application-edit", args=[draft.pk])))

    assert what("application-submit") in body
    assert 'name="confirmed" value="yes"' in body and "<dialog" in body


def test_a_payment_without_confirmation_keeps_the_typed_values_to_confirm_them(
        login, organisation, ngo, secretariat):
    grant = active_grant(organisation, ngo, secretariat)
    client = login(secretariat)
    url = reverse("grants:grant-payment", args=[grant.pk])
    typed = {"tranche": "1", "paid_on": today().isoformat(), "amount_usd": "40000.00",
             "reference": "WIRE-77"}

    body = assert_refused(client.post(url, typed), "payment-record")

    assert not Disbursement.objects.exists()
    assert '<input type="hidden" name="amount_usd" value="40000.00">' in body
    assert '<input type="hidden" name="reference" value="WIRE-77">' in body
    assert f'action="{url}"' in body
    assert client.post(url, {**typed, **CONFIRMED}).status_code == 302
    assert Disbursement.objects.get().amount_usd == 40000


def test_the_grant_page_says_what_recording_a_payment_does(login, organisation, ngo,
                                                                     secretariat):
    grant = active_grant(organisation, ngo, secretariat)
    url = reverse("grants:grant-implementation", args=[grant.pk])
    body = text(login(secretariat).get(url))

    assert what("payment-record") in body


def test_countersigning_without_confirmation_leaves_the_grant_pending(login, organisation, ngo,
                                                                     secretariat):
    grant = make_grant(organisation)
    agreement_accept(actor=ngo, grant=grant, signatory_name="Ada Obi", signatory_title="Director")
    client = login(secretariat)
    page = text(client.get(reverse("grants:grant-implementation", args=[grant.pk])))
    assert what("agreement-countersign") in page

    response = client.post(reverse("grants:grant-agreement-countersign", args=[grant.pk]))

    assert_refused(response, "agreement-countersign")
    grant.refresh_from_db()
    assert grant.status == GrantStatus.PENDING_SIGNATURE


def test_closing_a_grant_without_confirmation_records_no_closure(login, organisation, ngo,
                                                                 secretariat):
    grant = active_grant(organisation, ngo, secretariat)
    response = login(secretariat).post(reverse("grants:grant-close", args=[grant.pk]),
                                       {"treatment": "refunded"})

    assert_refused(response, "grant-close")
    assert not GrantClosure.objects.exists()


@pytest.fixture
def board_session(monkeypatch, secretariat, organisation):
    ample_fund(monkeypatch)
    chair, _members = sitting_board()
    session = meeting(recommended_call(envelope="100000.00", organisation=organisation),
                      secretariat)
    return session, chair


def test_closing_a_session_without_confirmation_leaves_it_open(login, board_session):
    session, chair = board_session
    client = login(chair)
    page = text(client.get(reverse("grants:board-session", args=[session.pk])))
    # The sheet's own confirmation says what closing freezes, with this session's figures.
    assert "Closing the session freezes every vote and decision and signs them" in page

    response = client.post(reverse("grants:board-close", args=[session.pk]))

    assert_refused(response, "session-close")
    assert BoardSession.objects.get(pk=session.pk).status == SessionStatus.OPEN


def test_finalising_without_confirmation_makes_no_version(login, secretariat):
    call, _apps = hand_checked_call()
    client = login(secretariat)
    page = text(client.get(reverse("grants:portfolio", args=[call.pk])))
    assert what("portfolio-finalise") in page

    response = client.post(reverse("grants:portfolio-finalise", args=[call.pk]), {"note": ""})

    assert_refused(response, "portfolio-finalise")
    assert not PortfolioRecommendation.objects.exists()


def test_the_refusal_page_goes_back_only_to_this_site(as_ngo, draft):
    url = reverse("grants:application-submit", args=[draft.pk])
    edit = f"http://testserver{reverse('grants:application-edit', args=[draft.pk])}"

    here = as_ngo.post(url, HTTP_REFERER=edit).content.decode()
    elsewhere = as_ngo.post(url, HTTP_REFERER="https://evil.example/x").content.decode()

    assert f'href="{edit}"' in here
    assert "evil.example" not in elsewhere


def test_without_the_capability_the_refusal_is_403_not_a_confirmation(login, ngo, organisation,
                                                                       secretariat):
    grant = active_grant(organisation, ngo, secretariat)
    response = login(ngo).post(reverse("grants:grant-payment", args=[grant.pk]))

    assert response.status_code == 403


def test_publishing_or_closing_a_call_without_confirmation_changes_nothing(as_secretariat,
                                                                          open_call):
    draft_call = CallFactory(status=CallStatus.DRAFT)
    listing = text(as_secretariat.get(reverse("grants:call-manage-list")))
    assert what("call-close") in listing and what("call-publish") in listing

    closing = as_secretariat.post(reverse("grants:call-close", args=[open_call.pk]))
    publishing = as_secretariat.post(reverse("grants:call-publish", args=[draft_call.pk]))

    assert_refused(closing, "call-close")
    assert_refused(publishing, "call-publish")
    open_call.refresh_from_db()
    draft_call.refresh_from_db()
    assert (open_call.status, draft_call.status) == (CallStatus.PUBLISHED, CallStatus.DRAFT)


def test_cancelling_a_grant_without_confirmation_leaves_it_active(login, organisation, ngo,
                                                                  secretariat):
    grant = active_grant(organisation, ngo, secretariat)
    response = login(secretariat).post(reverse("grants:grant-cancel", args=[grant.pk]),
                                       {"reason": "The NGO closed."})

    body = assert_refused(response, "grant-cancel")
    assert '<input type="hidden" name="reason" value="The NGO closed.">' in body
    grant.refresh_from_db()
    assert grant.status == GrantStatus.ACTIVE


def test_declining_an_agreement_without_confirmation_keeps_it_open(login, organisation, ngo):
    grant = make_grant(organisation)
    client = login(ngo)
    page = text(client.get(reverse("grants:grant-implementation", args=[grant.pk])))
    assert what("agreement-decline") in page

    response = client.post(reverse("grants:grant-agreement-decline", args=[grant.pk]),
                           {"reason": "We cannot meet the reporting calendar."})

    assert_refused(response, "agreement-decline")
    grant.refresh_from_db()
    assert grant.status == GrantStatus.PENDING_SIGNATURE
