"""Finalising the recommendation: a frozen version, statuses, audit, the board told."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from fundapp.core.errors import NotAllowed, StateConflict, ValidationFailed
from fundapp.core.models import AuditEvent
from fundapp.notifications.models import Notification
from grants.models import (
    ApplicationStatus,
    CallStatus,
    PortfolioItem,
    PortfolioRecommendation,
)
from grants.selectors.ranking import get_recommendation, recommendation_data
from grants.services.ranking import portfolio_finalise
from tests.grants.ranking_integration.builders import closed_call, eligible_with_request

pytestmark = pytest.mark.django_db


def _statuses(apps):
    return {key: type(app).objects.get(pk=app.pk).status for key, app in apps.items()}


def test_finalising_freezes_the_recommendation_with_an_item_per_application(small, secretariat):
    call, apps = small
    rec = portfolio_finalise(actor=secretariat, call=call)
    assert (rec.version, rec.is_current, rec.total_usd, rec.total_score) == (
        1, True, Decimal("100000.00"), Decimal("171.69"))
    assert rec.solver_status == "optimal" and rec.finalised_by == secretariat
    assert rec.rank_cut["score_gained"] == "25.05"
    assert rec.parameters["review_weight"] == "0.70" and rec.parameters["normalise_reviews"]
    items = {i.application_id: i for i in rec.items.all()}
    assert len(items) == 5
    a, c, e = items[apps["A"].pk], items[apps["C"].pk], items[apps["E"].pk]
    assert (c.rank, c.total_score, c.included, c.reserve_position) == (
        1, Decimal("83.32"), True, None)
    assert (a.included, a.reserve_position, a.reason_code) == (False, 1, "excluded_budget")
    assert (e.rank, e.included, e.reason_code) == (None, False, "not_reviewed")
    assert c.breakdown["row"]["breakdown"]["normalised_review_score"] == "90.45"


def test_ranked_applications_become_recommended_or_not(small, secretariat):
    call, apps = small
    portfolio_finalise(actor=secretariat, call=call)
    assert _statuses(apps) == {
        "A": ApplicationStatus.NOT_RECOMMENDED, "B": ApplicationStatus.RECOMMENDED,
        "C": ApplicationStatus.RECOMMENDED, "D": ApplicationStatus.RECOMMENDED,
        "E": ApplicationStatus.UNDER_REVIEW}


def test_the_board_is_notified_once(small, secretariat, board):
    call, apps = small
    rec = portfolio_finalise(actor=secretariat, call=call)
    sent = Notification.objects.filter(kind="portfolio_finalised")
    assert sorted(n.recipient.username for n in sent) == ["trustee0", "trustee1"]
    assert sent.first().data["version"] == 1
    assert sent.first().data["url"] == f"/ranking/calls/{call.pk}/portfolio/?version=1"
    assert str(rec.pk) == sent.first().target_id


def test_finalising_writes_audit_rows(small, secretariat):
    call, apps = small
    portfolio_finalise(actor=secretariat, call=call)
    event = AuditEvent.objects.get(verb="portfolio.finalise")
    assert event.actor == secretariat and event.target_id == str(call.pk)
    assert event.after["version"] == 1
    assert sorted(event.after["selected"]) == sorted(apps[k].pk for k in "BCD")
    moved = AuditEvent.objects.filter(verb__in=["application.recommend",
                                                "application.not_recommend"])
    assert moved.count() == 4


def test_finalising_again_needs_a_note_and_makes_version_two(small, secretariat, board):
    call, apps = small
    first = portfolio_finalise(actor=secretariat, call=call)
    with pytest.raises(ValidationFailed) as exc:
        portfolio_finalise(actor=secretariat, call=call, note="  ")
    assert "note" in exc.value.field_errors
    call.max_projects_per_country = 1
    call.save()
    second = portfolio_finalise(actor=secretariat, call=call, note="At most one per country.")
    first.refresh_from_db()
    assert (first.is_current, second.version, second.is_current) == (False, 2, True)
    assert second.note == "At most one per country."
    assert _statuses(apps)["D"] == ApplicationStatus.NOT_RECOMMENDED
    event = AuditEvent.objects.filter(verb="portfolio.finalise").latest("id")
    assert event.before["version"] == 1 and event.after["version"] == 2
    assert event.note == "At most one per country."
    assert Notification.objects.filter(kind="portfolio_finalised").count() == 4


def test_a_finalised_version_reads_back_as_it_was(small, secretariat):
    call, apps = small
    portfolio_finalise(actor=secretariat, call=call)
    call.review_weight = Decimal("0.10")
    call.save()
    data = recommendation_data(get_recommendation(call, 1))
    assert data["source"] == "finalised" and data["version"] == 1
    assert [i["reference"] for i in data["selected"]] == [
        apps[k].reference for k in "CBD"]
    assert data["total_score"] == "171.69" and data["rank_cut"]["score_gained"] == "25.05"
    assert data["selected"][1]["reason"].endswith("the optimiser added it.")
    assert [i["reserve_position"] for i in data["reserve"]] == [1]


@pytest.mark.parametrize("status,closes_in", [(CallStatus.PUBLISHED, 5),
                                               (CallStatus.DRAFT, 5)])
def test_an_open_or_draft_call_is_refused(small, secretariat, status, closes_in):
    call, apps = small
    call.status, call.closes_at = status, timezone.now() + timedelta(days=closes_in)
    call.save()
    with pytest.raises(StateConflict, match="still open"):
        portfolio_finalise(actor=secretariat, call=call)
    assert not PortfolioRecommendation.objects.exists()


def test_a_published_call_past_its_deadline_can_be_finalised(small, secretariat):
    call, apps = small
    call.status = CallStatus.PUBLISHED
    call.save()
    assert portfolio_finalise(actor=secretariat, call=call).version == 1


def test_a_call_without_ranked_applications_is_refused(secretariat):
    call = closed_call()
    eligible_with_request(call, "40000")
    with pytest.raises(StateConflict, match="ranked"):
        portfolio_finalise(actor=secretariat, call=call)


def test_an_impossible_set_of_constraints_is_refused(small, secretariat):
    call, apps = small
    call.min_countries = 5
    call.save()
    with pytest.raises(StateConflict, match="countries"):
        portfolio_finalise(actor=secretariat, call=call)
    assert not PortfolioItem.objects.exists()


def test_once_the_board_decided_the_recommendation_cannot_change(small, secretariat):
    call, apps = small
    portfolio_finalise(actor=secretariat, call=call)
    type(apps["C"]).objects.filter(pk=apps["C"].pk).update(status=ApplicationStatus.APPROVED)
    with pytest.raises(StateConflict, match="board"):
        portfolio_finalise(actor=secretariat, call=call, note="Change.")


@pytest.mark.parametrize("who", ["board_member", "reviewer", "ngo", "donor"])
def test_only_the_secretariat_finalises(small, request, who):
    call, apps = small
    with pytest.raises(NotAllowed):
        portfolio_finalise(actor=request.getfixturevalue(who), call=call)
