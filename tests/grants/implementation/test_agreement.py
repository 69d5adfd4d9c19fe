import pytest

from fundapp.core.audit import audit_trail_for
from fundapp.core.errors import NotAllowed, StateConflict, ValidationFailed
from grants.models import BankDetails, GrantStatus
from grants.services.implementation import (
    agreement_accept,
    agreement_countersign,
    agreement_decline,
    bank_details_confirm,
    bank_details_set,
)


def test_the_ngo_accepts_and_the_secretariat_countersigns_then_the_grant_is_active(
        grant, ngo, secretariat):
    signature = agreement_accept(actor=ngo, grant=grant, signatory_name=" Ada Obi ",
                                 signatory_title="Director")
    assert (signature.signatory_name, signature.signed_by) == ("Ada Obi", ngo)
    assert signature.signed_at is not None
    agreement_countersign(actor=secretariat, grant=grant)
    grant.refresh_from_db()
    assert grant.status == GrantStatus.ACTIVE
    assert grant.signature.countersigned_by == secretariat


def test_countersigning_before_the_ngo_signed_is_a_conflict(grant, secretariat):
    with pytest.raises(StateConflict):
        agreement_countersign(actor=secretariat, grant=grant)


def test_another_organisation_cannot_sign(grant, other_ngo):
    with pytest.raises(NotAllowed):
        agreement_accept(actor=other_ngo, grant=grant, signatory_name="X", signatory_title="Y")


def test_signing_needs_a_name_and_title(grant, ngo):
    with pytest.raises(ValidationFailed) as err:
        agreement_accept(actor=ngo, grant=grant, signatory_name="", signatory_title=" ")
    assert set(err.value.field_errors) == {"signatory_name", "signatory_title"}


def test_declining_cancels_the_grant_with_the_reason(grant, ngo):
    agreement_decline(actor=ngo, grant=grant, reason="We can no longer run the shelter.")
    grant.refresh_from_db()
    assert grant.status == GrantStatus.CANCELLED
    assert grant.cancel_reason == "We can no longer run the shelter."


def test_a_signed_agreement_cannot_be_declined(grant, ngo):
    agreement_accept(actor=ngo, grant=grant, signatory_name="A", signatory_title="B")
    with pytest.raises(StateConflict):
        agreement_decline(actor=ngo, grant=grant, reason="Changed our minds")


def test_bank_details_are_masked_audited_and_a_change_needs_a_new_confirmation(
        live_grant, ngo, secretariat):
    bank = BankDetails.objects.get(grant=live_grant)
    assert bank.is_confirmed and bank.masked.endswith("1234") and "5678" not in bank.masked
    bank_details_set(actor=ngo, grant=live_grant, account_holder="Safe Passage",
                     account_number="GB29NWBK60161331926819", bank_name="NatWest")
    bank.refresh_from_db()
    assert not bank.is_confirmed
    events = sorted((e for e in audit_trail_for(live_grant)
                     if e.verb == "grant.bank_details_set"), key=lambda e: e.pk)
    assert len(events) == 2
    assert events[-1].before["account"].endswith("1234")
    assert "GB29NWBK60161331926819" not in str(events[-1].after)
    bank_details_confirm(actor=secretariat, grant=live_grant)
    bank.refresh_from_db()
    assert bank.confirmed_by == secretariat


def test_a_bad_swift_code_is_refused(live_grant, ngo):
    with pytest.raises(ValidationFailed) as err:
        bank_details_set(actor=ngo, grant=live_grant, account_holder="A", account_number="123",
                         bank_name="B", swift="ABC")
    assert "swift" in err.value.field_errors


def test_terms_changed_after_signature_must_be_signed_again(grant, ngo, secretariat):
    from decimal import Decimal

    from grants.services.awards import grant_tranches_update

    agreement_accept(actor=ngo, grant=grant, signatory_name="A", signatory_title="B")
    grant_tranches_update(actor=secretariat, grant=grant, tranches=[
        {"percent": Decimal("100"), "condition": "on_signature"}])
    with pytest.raises(StateConflict, match="accept the agreement again"):
        agreement_countersign(actor=secretariat, grant=grant)
    agreement_accept(actor=ngo, grant=grant, signatory_name="A", signatory_title="B")
    agreement_countersign(actor=secretariat, grant=grant)
    grant.refresh_from_db()
    assert grant.status == GrantStatus.ACTIVE
