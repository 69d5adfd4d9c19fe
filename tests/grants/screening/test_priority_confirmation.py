import pytest

from fundapp.core.audit import audit_trail_for
from fundapp.core.errors import NotAllowed, StateConflict, ValidationFailed
from grants.models import ApplicationPriority, ApplicationStatus
from grants.services.screening import application_priorities_confirm
from tests.grants.reviews.helpers import submitted_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def app(open_call):
    app = submitted_application(call=open_call)  # claims armed-conflict
    ApplicationPriority.objects.create(application=app, priority=open_call.priorities.get(
        code="women-girls"), justification="Most clients are women.")
    return app


def confirmed(app) -> dict[str, bool | None]:
    return {c.priority.code: c.confirmed for c in app.priority_claims.select_related("priority")}


def test_claims_start_unconfirmed(app):
    assert confirmed(app) == {"armed-conflict": None, "women-girls": None}


def test_the_secretariat_confirms_some_claims_and_the_rest_are_not_confirmed(secretariat, app):
    application_priorities_confirm(actor=secretariat, application=app,
                                   confirmed=["women-girls"])
    assert confirmed(app) == {"armed-conflict": False, "women-girls": True}
    event = audit_trail_for(app).get(verb="application.confirm_priorities")
    assert event.before == {"armed-conflict": None, "women-girls": None}


def test_an_unclaimed_priority_cannot_be_confirmed(secretariat, app, open_call):
    with pytest.raises(ValidationFailed) as exc:
        application_priorities_confirm(actor=secretariat, application=app,
                                       confirmed=["climate"])
    assert "climate" in str(exc.value.field_errors["confirmed"])


def test_confirmation_is_allowed_during_review_but_not_on_a_draft(secretariat, app,
                                                                  complete_draft):
    app.status = ApplicationStatus.UNDER_REVIEW
    app.save()
    application_priorities_confirm(actor=secretariat, application=app, confirmed=[])
    with pytest.raises(StateConflict):
        application_priorities_confirm(actor=secretariat, application=complete_draft,
                                       confirmed=[])


def test_only_the_secretariat_confirms(ngo, app):
    with pytest.raises(NotAllowed):
        application_priorities_confirm(actor=ngo, application=app, confirmed=[])
