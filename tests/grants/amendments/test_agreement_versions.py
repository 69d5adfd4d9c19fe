"""An amendment that takes effect stores a new version of the agreement PDF; version 1 is
the agreement as first signed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from grants.models import AgreementSignature
from grants.services.amendments import amendment_approve, amendment_request
from tests.pdf_text import pdf_text

from .conftest import lines

pytestmark = pytest.mark.django_db


def _text(version) -> str:
    with version.file.open("rb") as handle:
        return pdf_text(handle.read())


def test_versions_one_and_two_after_an_extension(live_grant, ngo, secretariat):
    old_end = live_grant.end_date
    amendment = amendment_request(actor=ngo, grant=live_grant, kind="no_cost_extension",
                                  reason="Floods closed the office.",
                                  new_end_date=old_end + timedelta(days=60))
    amendment_approve(actor=secretariat, amendment=amendment)
    first, second = live_grant.agreement_versions.order_by("number")
    assert (first.number, first.amendment, second.amendment) == (1, None, amendment)
    original, amended = _text(first), _text(second)
    assert "as first signed" in original and "Annex: amendments" not in original
    assert "Annex: amendments" in amended and "No-cost extension" in amended
    assert "Floods closed the office." in amended
    assert second.terms["end_date"] == (old_end + timedelta(days=60)).isoformat()
    assert first.terms["end_date"] == old_end.isoformat()
    # after the approved change, the agreement does not claim the terms must be signed again
    assert "must be accepted again" not in amended


def test_version_one_is_dated_when_the_agreement_was_countersigned(live_grant, ngo,
                                                                  secretariat):
    signed = timezone.now() - timedelta(days=60)
    AgreementSignature.objects.update_or_create(
        grant=live_grant, defaults={"signed_at": signed - timedelta(days=2),
                                    "countersigned_at": signed})
    amendment = amendment_request(actor=ngo, grant=live_grant, kind="no_cost_extension",
                                  reason="Floods closed the office.",
                                  new_end_date=live_grant.end_date + timedelta(days=60))
    amendment_approve(actor=secretariat, amendment=amendment)
    first, second = live_grant.agreement_versions.order_by("number")
    assert first.created_at == signed
    assert second.created_at > signed + timedelta(days=59)


def test_a_budget_revision_version_shows_the_difference_per_line(live_grant, ngo,
                                                                 secretariat):
    amendment = amendment_request(actor=ngo, grant=live_grant, kind="budget_revision",
                                  reason="Rent rose",
                                  budget_lines=lines(direct="25000.00", personnel="25000.00"))
    amendment_approve(actor=secretariat, amendment=amendment)
    text = _text(live_grant.agreement_versions.get(number=2))
    assert "Budget revision" in text and "5,000.00" in text and "25,000.00" in text
    assert "30,000.00" in _text(live_grant.agreement_versions.get(number=1))


def test_each_amendment_adds_a_version(live_grant, ngo, secretariat):
    for days in (30, 60):
        amendment_approve(actor=secretariat, amendment=amendment_request(
            actor=ngo, grant=live_grant, kind="no_cost_extension", reason="Delays",
            new_end_date=live_grant.end_date + timedelta(days=days)))
        live_grant.refresh_from_db()
    assert list(live_grant.agreement_versions.values_list("number", flat=True)) == [1, 2, 3]
