"""Annual targets and the milestone notices (50 %, 75 %, 100 % of a year's target)."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from donors.models import MILESTONES, AnnualTarget, TargetMilestone
from donors.selectors.reports import received_in, target_for
from fundapp.accounts.models import User
from fundapp.accounts.roles import Role
from fundapp.core.audit import audit_record
from fundapp.core.errors import Errors
from fundapp.notifications.services import notify

from .common import require_manager

MIN_YEAR, MAX_YEAR = 2010, 2100


@transaction.atomic
def annual_target_set(*, actor, year: int, amount_usd: Decimal, reason: str = "") -> AnnualTarget:
    """Set a year's target; the change is kept in the target's history and audited."""
    require_manager(actor)
    errors = Errors()
    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        errors.add("year", _("Enter a year between %(a)s and %(b)s.")
                   % {"a": MIN_YEAR, "b": MAX_YEAR})
    if not isinstance(amount_usd, Decimal) or amount_usd <= 0:
        errors.add("amount_usd", _("The target must be an amount greater than zero."))
    elif amount_usd >= Decimal("1e12"):
        errors.add("amount_usd", _("The target is too large."))
    errors.raise_if_any()
    target = AnnualTarget.objects.select_for_update().filter(year=year).first()
    before = {"amount_usd": target.amount_usd} if target else {}
    if target is None:
        target = AnnualTarget(year=year)
    target.amount_usd = amount_usd.quantize(Decimal("0.01"))
    target.reason, target.updated_by = (reason or "")[:500], actor
    target._change_reason = target.reason
    target.save()
    audit_record(actor=actor, verb="annual_target.set", target=target, before=before,
                 after={"year": year, "amount_usd": target.amount_usd}, note=target.reason)
    milestones_check(year=year)
    return target


def _milestone_recipients():
    return User.objects.filter(Q(groups__name=Role.SECRETARIAT) | Q(groups__name=Role.BOARD),
                               is_active=True).distinct()


def milestones_check(*, year: int) -> list[int]:
    """Record and announce each milestone of ``year`` reached and not yet announced.

    Call inside the transaction that changed the year's income or target. Recording money
    holds the year's receipt-counter lock, so simultaneous contributions see each other's
    amounts here; the unique row per (year, percent) and the notifications' dedupe keys make
    each notice go out once (``donors.check_milestones`` catches any other race).
    """
    target = target_for(year)
    received = received_in(year)
    reached = [p for p in MILESTONES if received * 100 >= target * p]
    known = set(TargetMilestone.objects.filter(year=year).values_list("percent", flat=True))
    announced = []
    for percent in reached:
        if percent in known or not _record_milestone(year, percent, received, target):
            continue
        announced.append(percent)
        notify(recipients=_milestone_recipients(), kind="target_milestone",
               data={"year": year, "percent": percent, "received_usd": str(received),
                     "target_usd": str(target),
                     "url": reverse("donors:reports") + f"?year={year}"},
               dedupe_key=f"target-milestone:{year}:{percent}")
    return announced


def _record_milestone(year: int, percent: int, received: Decimal, target: Decimal) -> bool:
    try:
        with transaction.atomic():
            TargetMilestone.objects.create(year=year, percent=percent, received_usd=received,
                                           target_usd=target)
    except IntegrityError:  # a concurrent contribution recorded it first
        return False
    return True
