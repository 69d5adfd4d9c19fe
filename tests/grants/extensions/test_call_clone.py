"""Cloning a call: every term copied, nothing else; a new draft that stays editable."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from fundapp.core.audit import audit_trail_for
from fundapp.core.errors import NotAllowed, ValidationFailed
from grants.models import (
    Call,
    CallPriority,
    CallStatus,
    ClarificationQuestion,
    DocumentKind,
    ReviewCriterion,
)
from grants.services.calls import CLONED_FIELDS, call_clone, call_update
from grants.services.reviews import call_rubric_update
from tests.factories import ApplicationFactory, CallFactory

pytestmark = pytest.mark.django_db
NOT_COPIED = {"id", "number", "opens_at", "closes_at", "status", "next_sequence",
              "published_at", "closed_at", "created_by", "created_at"}


@pytest.fixture
def source(db):
    now = timezone.now()
    call = CallFactory(
        number=8, title_en="Eighth global call", title_fr="Huitième appel mondial",
        description_en="Direct assistance.", description_fr="Assistance directe.",
        envelope_usd=Decimal("1500000.00"), min_grant_usd=Decimal("15000.00"),
        max_grant_usd=Decimal("75000.00"), max_duration_months=18,
        required_documents=[DocumentKind.REGISTRATION_CERTIFICATE, DocumentKind.WORK_PLAN],
        eligible_countries=["NG", "KE", "PH"], blind_review=True,
        review_weight=Decimal("0.60"), normalise_reviews=False, max_projects_per_country=3,
        min_women_girls_share=Decimal("40.00"), min_countries=5,
        status=CallStatus.CLOSED, published_at=now - timedelta(days=60),
        closed_at=now - timedelta(days=1), next_sequence=42,
        priorities=[("armed-conflict", "Victims of armed conflict", Decimal("2")),
                    ("women-girls", "Women and girls", Decimal("3"))])
    CallPriority.objects.filter(call=call, code="women-girls").update(name_fr="Femmes et filles")
    for i, (code, weight) in enumerate([("relevance", "3"), ("capacity", "2"),
                                        ("budget", "1.5")]):
        ReviewCriterion.objects.create(call=call, code=code, name_en=code.title(),
                                       name_fr=f"{code} (fr)", weight=Decimal(weight),
                                       position=i)
    ApplicationFactory(call=call)
    ClarificationQuestion.objects.create(call=call, question="Can we apply twice?")
    return call


def clone(actor, source, number=9, days=365):
    return call_clone(actor=actor, call=source, number=number,
                      opens_at=source.opens_at + timedelta(days=days),
                      closes_at=source.closes_at + timedelta(days=days))


def test_every_field_of_a_call_is_either_copied_or_deliberately_not():
    fields = {f.name for f in Call._meta.concrete_fields}
    assert fields == set(CLONED_FIELDS) | NOT_COPIED


def test_the_clone_is_a_draft_with_every_term(secretariat, source):
    new = clone(secretariat, source)
    new.refresh_from_db()
    assert new.status == CallStatus.DRAFT and new.number == 9
    for field in CLONED_FIELDS:
        assert getattr(new, field) == getattr(source, field), field
    assert [c.code for c in new.eligible_countries] == ["KE", "NG", "PH"]


def test_the_clone_has_its_own_number_dates_and_creator(secretariat, source):
    new = clone(secretariat, source)
    assert new.opens_at == source.opens_at + timedelta(days=365)
    assert new.closes_at == source.closes_at + timedelta(days=365)
    assert (new.published_at, new.closed_at, new.next_sequence) == (None, None, 1)
    assert new.created_by == secretariat


def test_priorities_and_rubric_are_copied_with_their_weights(secretariat, source):
    new = clone(secretariat, source)

    def rows(qs):
        return list(qs.order_by("position").values_list("code", "name_en", "name_fr",
                                                        "weight", "position"))

    assert rows(new.priorities) == rows(source.priorities)
    assert rows(new.review_criteria) == rows(source.review_criteria)
    assert not set(new.priorities.values_list("pk", flat=True)) & set(
        source.priorities.values_list("pk", flat=True))


def test_applications_questions_and_reviews_are_not_copied(secretariat, source):
    new = clone(secretariat, source)
    assert not new.applications.exists() and not new.questions.exists()
    assert not new.extensions.exists() and not new.board_sessions.exists()


def test_the_source_is_unchanged(secretariat, source):
    before = {f: getattr(source, f) for f in CLONED_FIELDS}
    clone(secretariat, source)
    source.refresh_from_db()
    assert {f: getattr(source, f) for f in CLONED_FIELDS} == before
    assert source.priorities.count() == 2 and source.review_criteria.count() == 3


def test_a_taken_number_is_refused(secretariat, source):
    with pytest.raises(ValidationFailed) as error:
        clone(secretariat, source, number=8)
    assert "number" in error.value.field_errors
    assert Call.objects.count() == 1


def test_the_call_must_close_after_it_opens(secretariat, source):
    with pytest.raises(ValidationFailed) as error:
        call_clone(actor=secretariat, call=source, number=9, opens_at=source.closes_at,
                   closes_at=source.opens_at)
    assert "closes_at" in error.value.field_errors


@pytest.mark.parametrize("who", ["ngo", "reviewer", "board_member", "donor"])
def test_only_the_secretariat_clones(request, who, source):
    with pytest.raises(NotAllowed):
        clone(request.getfixturevalue(who), source)
    assert Call.objects.count() == 1


def test_cloning_is_audited_with_its_source(secretariat, source):
    new = clone(secretariat, source)
    event = next(e for e in audit_trail_for(new) if e.verb == "call.clone")
    assert event.note == "cloned from call 8" and event.actor == secretariat


def test_the_clones_priorities_and_rubric_stay_editable(secretariat, source):
    new = clone(secretariat, source)
    call_update(actor=secretariat, call=new, values={"title_en": "Ninth global call"},
                priorities=[{"code": "children", "name_en": "Children", "weight": 2}])
    call_rubric_update(actor=secretariat, call=new, criteria=[
        {"code": "relevance", "name_en": "Relevance", "name_fr": "", "weight": Decimal("4")}])
    assert list(new.priorities.values_list("code", flat=True)) == ["children"]
    assert list(new.review_criteria.values_list("weight", flat=True)) == [Decimal("4.00")]
    assert source.priorities.count() == 2 and source.review_criteria.count() == 3
