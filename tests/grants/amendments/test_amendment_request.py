"""Who may ask for an amendment, on which grants, and what each kind checks."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import override_settings

from fundapp.core import formatting
from fundapp.core.errors import NotAllowed, StateConflict, ValidationFailed
from fundapp.notifications.models import Notification
from grants.models import AmendmentStatus, GrantStatus
from grants.selectors.amendments import grant_budget_lines
from grants.services.amendments import amendment_request
from tests.factories import ngo_user

from .conftest import lines

pytestmark = pytest.mark.django_db


def _extension(grant, actor, days=90, **kw):
    return amendment_request(actor=actor, grant=grant, kind="no_cost_extension",
                             reason="Road to the shelter closed by fighting for three months.",
                             new_end_date=grant.end_date + timedelta(days=days), **kw)


@pytest.mark.parametrize("role", ["admin", "editor"])
def test_the_organisations_admins_and_editors_may_request(live_grant, organisation, role):
    member = ngo_user(organisation, org_role=role, username=f"m-{role}")
    amendment = _extension(live_grant, member)
    assert amendment.status == AmendmentStatus.REQUESTED
    assert amendment.requested_by == member
    assert amendment.previous_end_date == live_grant.end_date


def test_a_viewer_another_ngo_and_a_reviewer_may_not(live_grant, organisation, other_ngo,
                                                      reviewer, board_member):
    viewer = ngo_user(organisation, org_role="viewer", username="viewer")
    for actor in (viewer, other_ngo, reviewer, board_member):
        with pytest.raises(NotAllowed):
            _extension(live_grant, actor)


def test_the_secretariat_may_open_one_and_the_organisation_is_told(live_grant, secretariat,
                                                                    ngo):
    amendment = _extension(live_grant, secretariat)
    assert amendment.status == AmendmentStatus.REQUESTED
    note = Notification.objects.get(kind="amendment_requested")
    assert note.recipient == ngo


def test_the_organisations_request_notifies_the_secretariat(live_grant, ngo, secretariat):
    _extension(live_grant, ngo)
    assert list(Notification.objects.filter(kind="amendment_requested")
                .values_list("recipient", flat=True)) == [secretariat.pk]


@pytest.mark.parametrize("status", [GrantStatus.PENDING_SIGNATURE, GrantStatus.CLOSED,
                                    GrantStatus.CANCELLED, GrantStatus.TERMINATED,
                                    GrantStatus.CLOSING])
def test_only_an_active_or_suspended_grant_is_amended(live_grant, ngo, status):
    type(live_grant).objects.filter(pk=live_grant.pk).update(status=status)
    with pytest.raises(StateConflict):
        _extension(live_grant, ngo)


def test_a_suspended_grant_may_be_extended(live_grant, ngo):
    type(live_grant).objects.filter(pk=live_grant.pk).update(status=GrantStatus.SUSPENDED)
    assert _extension(live_grant, ngo).status == AmendmentStatus.REQUESTED


def test_one_open_request_of_a_kind_at_a_time(live_grant, ngo):
    _extension(live_grant, ngo)
    with pytest.raises(StateConflict):
        _extension(live_grant, ngo, days=120)


def test_an_extension_ends_after_the_current_end(live_grant, ngo):
    with pytest.raises(ValidationFailed) as err:
        _extension(live_grant, ngo, days=0)
    assert "new_end_date" in err.value.field_errors
    message = str(err.value.field_errors["new_end_date"][0])
    assert formatting.date(live_grant.end_date) in message  # the reader's format, not ISO
    assert live_grant.end_date.isoformat() not in message


@override_settings(AMENDMENT_MAX_EXTENSION_MONTHS=6)
def test_an_extension_stays_within_the_maximum(live_grant, ngo):
    with pytest.raises(ValidationFailed) as err:
        _extension(live_grant, ngo, days=200)
    assert "6 months" in str(err.value.field_errors["new_end_date"][0])
    assert _extension(live_grant, ngo, days=150)


@override_settings(AMENDMENT_MAX_EXTENSION_MONTHS=1)
def test_the_maximum_extension_reads_in_the_singular(live_grant, ngo):
    with pytest.raises(ValidationFailed) as err:
        _extension(live_grant, ngo, days=60)
    message = str(err.value.field_errors["new_end_date"][0])
    assert "(1 month after" in message and "months" not in message


def test_a_reason_is_required(live_grant, ngo):
    with pytest.raises(ValidationFailed) as err:
        amendment_request(actor=ngo, grant=live_grant, kind="other", reason=" ",
                          details="Add a partner")
    assert "reason" in err.value.field_errors


def test_another_change_needs_its_text(live_grant, ngo):
    with pytest.raises(ValidationFailed) as err:
        amendment_request(actor=ngo, grant=live_grant, kind="other", reason="New partner")
    assert "details" in err.value.field_errors


def test_a_budget_revision_that_changes_the_total_is_refused(live_grant, ngo):
    with pytest.raises(ValidationFailed) as err:
        amendment_request(actor=ngo, grant=live_grant, kind="budget_revision",
                          reason="More staff", budget_lines=lines(personnel="21000.00"))
    message = str(err.value.field_errors["budget_lines"][0])
    assert "USD 51,000.00" in message and "USD 50,000.00" in message and "USD 1,000.00" in message


@pytest.mark.parametrize("amount", ["0", "-5", "12.345", "abc"])
def test_budget_amounts_are_positive_with_two_decimals(live_grant, ngo, amount):
    with pytest.raises(ValidationFailed):
        amendment_request(actor=ngo, grant=live_grant, kind="budget_revision",
                          reason="x", budget_lines=lines(direct=amount))


def test_a_small_reallocation_is_recorded_only_and_takes_effect(live_grant, ngo):
    # 2,000 of personnel's 20,000 is 10 %: within the threshold (30,000 -> 28,000 is 6.7 %)
    amendment = amendment_request(actor=ngo, grant=live_grant, kind="budget_revision",
                                  reason="Staff costs rose",
                                  budget_lines=lines(direct="28000.00", personnel="22000.00"))
    assert amendment.recorded_only and amendment.status == AmendmentStatus.APPROVED
    assert amendment.decided_by == ngo and amendment.decided_at
    current = {x["category"]: x["amount_usd"] for x in grant_budget_lines(live_grant)}
    assert current == {"direct_assistance": Decimal("28000.00"),
                       "personnel": Decimal("22000.00")}
    assert [v.number for v in live_grant.agreement_versions.all()] == [1, 2]


def test_a_large_reallocation_awaits_approval(live_grant, ngo):
    amendment = amendment_request(actor=ngo, grant=live_grant, kind="budget_revision",
                                  reason="Rent rose",
                                  budget_lines=lines(direct="27000.00", personnel="23000.00"))
    assert not amendment.recorded_only and amendment.status == AmendmentStatus.REQUESTED
    rows = {d["category"]: d for d in (x.as_dict() for x in _diffs(amendment))}
    assert rows["personnel"]["difference_usd"] == "3000.00"
    assert rows["personnel"]["above_threshold"] and not rows["direct_assistance"][
        "above_threshold"]
    assert grant_budget_lines(live_grant)[0]["amount_usd"] == Decimal("30000.00")


def test_a_new_line_always_needs_approval(live_grant, ngo):
    amendment = amendment_request(actor=ngo, grant=live_grant, kind="budget_revision",
                                  reason="An evaluation",
                                  budget_lines=lines(direct="29900.00", monitoring="100.00"))
    assert amendment.status == AmendmentStatus.REQUESTED


@override_settings(AMENDMENT_APPROVAL_THRESHOLD=Decimal("0.20"))
def test_the_threshold_is_a_setting(live_grant, ngo):
    amendment = amendment_request(actor=ngo, grant=live_grant, kind="budget_revision",
                                  reason="Rent rose",
                                  budget_lines=lines(direct="27000.00", personnel="23000.00"))
    assert amendment.recorded_only


def _diffs(amendment):
    from grants.selectors.amendments import amendment_differences

    return amendment_differences(amendment)
