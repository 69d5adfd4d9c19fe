from decimal import Decimal

import pytest

from fundapp.core.errors import NotAllowed, ValidationFailed
from fundapp.core.models import AuditEvent
from grants.services.ranking import ranking_settings_update
from tests.grants.ranking_integration.builders import closed_call

pytestmark = pytest.mark.django_db


def test_the_secretariat_sets_weights_and_constraints_with_an_audit_row(secretariat):
    call = closed_call()
    ranking_settings_update(actor=secretariat, call=call, values={
        "review_weight": Decimal("0.60"), "normalise_reviews": False,
        "max_projects_per_country": 2, "min_women_girls_share": Decimal("30"),
        "min_countries": 4})
    call.refresh_from_db()
    assert (call.review_weight, call.normalise_reviews, call.max_projects_per_country,
            call.min_women_girls_share, call.min_countries) == (
        Decimal("0.60"), False, 2, Decimal("30.00"), 4)
    event = AuditEvent.objects.get(verb="ranking.settings")
    assert event.before["review_weight"] == "0.70" and event.after["review_weight"] == "0.60"


def test_empty_values_switch_constraints_off(secretariat):
    call = closed_call(max_projects_per_country=2, min_women_girls_share=Decimal("30"))
    ranking_settings_update(actor=secretariat, call=call, values={
        "max_projects_per_country": None, "min_women_girls_share": None})
    call.refresh_from_db()
    assert call.max_projects_per_country is None and call.min_women_girls_share is None
    assert call.review_weight == Decimal("0.70")


@pytest.mark.parametrize("values,field", [
    ({"review_weight": Decimal("1.5")}, "review_weight"),
    ({"review_weight": Decimal("-0.1")}, "review_weight"),
    ({"min_women_girls_share": Decimal("101")}, "min_women_girls_share"),
    ({"max_projects_per_country": 0}, "max_projects_per_country"),
    ({"min_countries": -1}, "min_countries"),
    ({"normalise_reviews": "yes"}, "normalise_reviews"),
    ({"envelope_usd": 5}, "detail"),
])
def test_invalid_settings_are_refused_with_a_message_on_the_field(secretariat, values, field):
    call = closed_call()
    with pytest.raises(ValidationFailed) as exc:
        ranking_settings_update(actor=secretariat, call=call, values=values)
    assert field in exc.value.field_errors
    assert not AuditEvent.objects.filter(verb="ranking.settings").exists()


def test_the_board_cannot_change_settings(board_member):
    with pytest.raises(NotAllowed):
        ranking_settings_update(actor=board_member, call=closed_call(),
                                values={"min_countries": 2})
