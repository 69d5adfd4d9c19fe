"""Refunds: unspent funds an organisation returned to the fund (the secretariat records them).

Rules:
- On a grant paid at least once (409 otherwise), whatever its state since (active,
  suspended, terminated, closing, closed, even cancelled after a payment).
- An amount above 0 with at most two decimals, never more than paid − already refunded
  (400); received on a day neither in the future nor before the grant's first payment
  (400); a bank reference given and unique among refunds (400, also under a race: the
  database's unique constraint is turned into the same answer).
- Recorded once: the API takes an ``Idempotency-Key``, the web form a one-time token.
- Audited, and the organisation's members get a receipt-like notice.
A refund raises the fund's available balance, and the fund summary, the portfolio, the
donors' reports and IATI read it (``grants.selectors.impact.refunds``).
"""

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Min, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from fundapp.core.audit import audit_record
from fundapp.core import formatting
from fundapp.core.errors import Errors, StateConflict, ValidationFailed
from fundapp.core.locks import lock
from fundapp.core.money import CENT
from grants.models import Disbursement, Grant, Refund
from grants.services.implementation import (
    ZERO,
    _amount,
    _notify_grantee,
    _require_secretariat,
)

DUPLICATE = _("A refund with this bank reference is already recorded.")


def refunded_usd(grant: Grant) -> Decimal:
    total = Refund.objects.filter(grant=grant).aggregate(t=Sum("amount_usd"))["t"] or ZERO
    return total.quantize(CENT)


def refundable_usd(grant: Grant) -> Decimal:
    """What may still be refunded: paid less already refunded."""
    paid = Disbursement.objects.filter(grant=grant).aggregate(t=Sum("amount_usd"))["t"] or ZERO
    return (paid - refunded_usd(grant)).quantize(CENT)


def _check(grant: Grant, amount: Decimal, received_on: date, reference: str) -> None:
    first_paid = Disbursement.objects.filter(grant=grant).aggregate(d=Min("paid_on"))["d"]
    if first_paid is None:
        raise StateConflict(_("Nothing was paid on this grant yet: there is nothing to "
                              "refund."))
    errors = Errors()
    left = refundable_usd(grant)
    if amount > left:
        errors.add("amount_usd", _("Above what was paid and not yet refunded (%(left)s).")
                   % {"left": formatting.money(left)})
    if received_on > timezone.localdate():
        errors.add("received_on", _("A refund cannot be received in the future."))
    elif received_on < first_paid:
        errors.add("received_on", _("A refund cannot be received before the grant's first "
                                    "payment."))
    if not reference:
        errors.add("reference", _("Give the bank reference of the refund."))
    elif Refund.objects.filter(reference=reference).exists():
        errors.add("reference", DUPLICATE)
    errors.raise_if_any()


@transaction.atomic
def refund_record(*, actor, grant: Grant, amount_usd, received_on: date, reference: str,
                  note: str = "") -> Refund:
    _require_secretariat(actor)
    amount = _amount(amount_usd)
    reference = (reference or "").strip()[:64]
    grant = lock(Grant, grant.pk)
    _check(grant, amount, received_on, reference)
    try:
        with transaction.atomic():
            refund = Refund.objects.create(
                grant=grant, amount_usd=amount, received_on=received_on, reference=reference,
                note=(note or "").strip()[:4000], recorded_by=actor)
    except IntegrityError as exc:
        raise ValidationFailed.on("reference", DUPLICATE) from exc
    total = refunded_usd(grant)
    audit_record(actor=actor, verb="grant.refund", target=grant,
                 after={"amount_usd": amount, "received_on": received_on,
                        "reference": reference, "refunded_usd": total}, note=refund.note)
    _notify_grantee(grant, "refund_recorded", {
        "amount_usd": str(amount), "received_on": received_on.isoformat(),
        "reference": reference, "refunded_usd": str(total)})
    return refund
