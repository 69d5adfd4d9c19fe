from decimal import Decimal

import pytest

from fundapp.core.audit import audit_trail_for
from fundapp.core.errors import NotAllowed, StateConflict, ValidationFailed
from grants.models import ApplicationStatus, CallStatus
from grants.services.applications import (
    application_create,
    application_update,
    application_withdraw,
)
from tests.factories import CallFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_ngo_creates_an_empty_draft_on_an_open_call(ngo, open_call, organisation):
    app = application_create(actor=ngo, call=open_call)
    assert app.status == ApplicationStatus.DRAFT
    assert app.organisation == organisation
    assert app.reference is None


def test_draft_cannot_be_started_on_a_closed_call(ngo):
    call = CallFactory(status=CallStatus.CLOSED)
    with pytest.raises(StateConflict):
        application_create(actor=ngo, call=call)


def test_user_without_organisation_cannot_apply(open_call):
    with pytest.raises(NotAllowed):
        application_create(actor=UserFactory(), call=open_call)


def test_partial_save_keeps_what_was_saved_before(ngo, open_call):
    app = application_create(actor=ngo, call=open_call, values={"title": "Safe homes"})
    application_update(actor=ngo, application=app, values={"summary": "Shelter for survivors"})
    app.refresh_from_db()
    assert (app.title, app.summary) == ("Safe homes", "Shelter for survivors")


def test_amount_outside_the_calls_limits_is_refused_and_nothing_is_lost(ngo, open_call):
    app = application_create(actor=ngo, call=open_call, values={"title": "Safe homes"})
    with pytest.raises(ValidationFailed) as exc:
        application_update(actor=ngo, application=app,
                           values={"requested_usd": Decimal("60000.01"), "title": "Changed"})
    assert "requested_usd" in exc.value.field_errors
    app.refresh_from_db()
    assert app.title == "Safe homes"
    assert app.requested_usd is None


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-5"), Decimal("19999.99")])
def test_zero_negative_and_too_small_amounts_are_refused(ngo, open_call, amount):
    app = application_create(actor=ngo, call=open_call)
    with pytest.raises(ValidationFailed):
        application_update(actor=ngo, application=app, values={"requested_usd": amount})


def test_duration_beyond_the_calls_maximum_is_refused(ngo, open_call):
    app = application_create(actor=ngo, call=open_call)
    with pytest.raises(ValidationFailed) as exc:
        application_update(actor=ngo, application=app, values={"duration_months": 25})
    assert "duration_months" in exc.value.field_errors


def test_unknown_country_is_refused(ngo, open_call):
    app = application_create(actor=ngo, call=open_call)
    with pytest.raises(ValidationFailed) as exc:
        application_update(actor=ngo, application=app, values={"countries": ["XX"]})
    assert "countries" in exc.value.field_errors


def test_country_outside_the_calls_eligible_list_is_refused(ngo):
    call = CallFactory(eligible_countries=["NG", "GH"])
    app = application_create(actor=ngo, call=call)
    with pytest.raises(ValidationFailed):
        application_update(actor=ngo, application=app, values={"countries": ["FR"]})
    application_update(actor=ngo, application=app, values={"countries": ["GH"]})


def test_budget_lines_and_priority_claims_are_replaced_as_a_whole(ngo, open_call):
    app = application_create(actor=ngo, call=open_call)
    application_update(actor=ngo, application=app, values={
        "budget_lines": [{"category": "shelter", "amount": Decimal("10000.00")},
                         {"category": "personnel", "amount": Decimal("5000.00")}],
        "priorities": {"women-girls": "All our beneficiaries are women and girls."},
    })
    application_update(actor=ngo, application=app, values={
        "budget_lines": [{"category": "shelter", "amount": Decimal("12000.00")}],
        "priorities": {"armed-conflict": "Refugees from the conflict."},
    })
    assert [b.amount for b in app.budget_lines.all()] == [Decimal("12000.00")]
    assert [c.priority.code for c in app.priority_claims.all()] == ["armed-conflict"]


def test_priority_that_is_not_the_calls_is_refused(ngo, open_call):
    app = application_create(actor=ngo, call=open_call)
    with pytest.raises(ValidationFailed):
        application_update(actor=ngo, application=app, values={"priorities": {"nope": "x"}})


def test_updates_are_audited_with_before_and_after(ngo, open_call):
    app = application_create(actor=ngo, call=open_call, values={"title": "A"})
    application_update(actor=ngo, application=app, values={"title": "B"})
    event = audit_trail_for(app).filter(verb="application.update").get()
    assert (event.before["title"], event.after["title"]) == ("A", "B")


def test_another_organisations_user_cannot_edit(ngo, other_ngo, open_call):
    app = application_create(actor=ngo, call=open_call)
    with pytest.raises(NotAllowed):
        application_update(actor=other_ngo, application=app, values={"title": "Mine now"})


def test_withdrawn_application_cannot_be_withdrawn_again(ngo, open_call):
    app = application_create(actor=ngo, call=open_call)
    app = application_withdraw(actor=ngo, application=app, reason="Merged with another")
    assert app.status == ApplicationStatus.WITHDRAWN
    with pytest.raises(StateConflict):
        application_withdraw(actor=ngo, application=app)
    with pytest.raises(StateConflict):
        application_update(actor=ngo, application=app, values={"title": "x"})
