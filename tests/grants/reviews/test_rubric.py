from decimal import Decimal

import pytest

from fundapp.core.errors import NotAllowed, StateConflict, ValidationFailed
from grants.models import ReviewCriterion
from grants.services.reviews import call_rubric_ensure_defaults, call_rubric_update
from tests.grants.reviews.helpers import assign, eligible_application, make_reviewer, scored

pytestmark = pytest.mark.django_db
NEW = [{"code": "relevance", "name_en": "Relevance", "name_fr": "", "weight": Decimal("2")},
       {"code": "impact", "name_en": "Impact on victims", "weight": Decimal("1.5")}]


def test_the_six_default_criteria_with_equal_weights_are_created_once(open_call):
    first = call_rubric_ensure_defaults(call=open_call)
    again = call_rubric_ensure_defaults(call=open_call)
    assert [c.code for c in first] == ["relevance", "victim-centred", "feasibility", "capacity",
                                       "cost-effectiveness", "sustainability"]
    assert {c.weight for c in first} == {Decimal("1")}
    assert [c.pk for c in again] == [c.pk for c in first]
    assert first[0].name_fr == "Pertinence au regard des priorités de l'appel"


def test_the_secretariat_replaces_the_rubric_before_scoring(secretariat, open_call):
    call_rubric_ensure_defaults(call=open_call)
    criteria = call_rubric_update(actor=secretariat, call=open_call, criteria=NEW)
    assert [(c.code, c.weight, c.position) for c in criteria] == [
        ("relevance", Decimal("2"), 0), ("impact", Decimal("1.5"), 1)]
    assert ReviewCriterion.objects.filter(call=open_call).count() == 2


@pytest.mark.parametrize("criteria,words", [
    ([], "at least one"),
    ([NEW[0], NEW[0]], "own code"),
    ([{**NEW[0], "weight": Decimal("0")}], "greater than zero"),
])
def test_a_bad_rubric_is_refused(secretariat, open_call, criteria, words):
    with pytest.raises(ValidationFailed) as exc:
        call_rubric_update(actor=secretariat, call=open_call, criteria=criteria)
    assert words in str(exc.value.field_errors["criteria"])


def test_the_rubric_is_locked_once_a_score_is_given(secretariat, open_call):
    review = assign(eligible_application(call=open_call), make_reviewer(), status="draft")
    scored(review, {"relevance": 3})
    with pytest.raises(StateConflict):
        call_rubric_update(actor=secretariat, call=open_call, criteria=NEW)


def test_only_the_secretariat_edits_the_rubric(reviewer, open_call):
    with pytest.raises(NotAllowed):
        call_rubric_update(actor=reviewer, call=open_call, criteria=NEW)
