"""Reads on amendments: a grant's current budget, its amendments and agreement versions,
the difference a budget revision makes, and the access-checked getters.

Who sees them: the grantee's members (every role) and the secretariat; 404 for everyone
else (reviewers, the Board, donors, other organisations), as for the grant's messages.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404

from fundapp.accounts.roles import Role, roles_of, user_can
from grants.models import (
    AgreementVersion,
    Amendment,
    AmendmentKind,
    AmendmentStatus,
    BudgetCategory,
    Grant,
)
from grants.selectors.implementation import get_implementation_grant_for

ZERO = Decimal("0.00")


def grant_budget_lines(grant: Grant) -> list[dict]:
    """The grant's current budget: the lines of its latest approved budget revision, or its
    application's lines when there is none. Each ``{"category", "description",
    "amount_usd"}`` with a Decimal amount."""
    revision = (Amendment.objects.filter(grant=grant, kind=AmendmentKind.BUDGET_REVISION,
                                         status=AmendmentStatus.APPROVED)
                .order_by("-decided_at", "-id").only("budget_lines").first())
    if revision is not None:
        return [{"category": line["category"], "description": line.get("description", ""),
                 "amount_usd": Decimal(str(line["amount_usd"]))}
                for line in revision.budget_lines]
    return [{"category": line.category, "description": line.description,
             "amount_usd": line.amount}
            for line in grant.application.budget_lines.order_by("position", "id")]


def budget_by_category(lines: list[dict]) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for line in lines:
        amount = Decimal(str(line["amount_usd"]))
        totals[line["category"]] = totals.get(line["category"], ZERO) + amount
    return totals


@dataclass(frozen=True)
class LineDifference:
    category: str
    previous_usd: Decimal
    new_usd: Decimal
    above_threshold: bool

    @property
    def label(self) -> str:
        return str(dict(BudgetCategory.choices).get(self.category, self.category))

    @property
    def difference_usd(self) -> Decimal:
        return self.new_usd - self.previous_usd

    @property
    def share(self) -> Decimal | None:
        """The change in percentage points of the line's previous amount, to one decimal
        (None for a new line)."""
        if not self.previous_usd:
            return None
        return (self.difference_usd * 100 / self.previous_usd).quantize(Decimal("0.1"))

    def as_dict(self) -> dict:
        return {"category": self.category, "previous_usd": str(self.previous_usd),
                "new_usd": str(self.new_usd), "difference_usd": str(self.difference_usd),
                "above_threshold": self.above_threshold}


def budget_differences(previous: list[dict], new: list[dict]) -> list[LineDifference]:
    """Per budget category, in the order of the previous budget then new categories: what
    it had, what it gets, and whether the change is above the threshold (more than
    ``AMENDMENT_APPROVAL_THRESHOLD`` of what it had; a new or removed line always is)."""
    before, after = budget_by_category(previous), budget_by_category(new)
    threshold = Decimal(settings.AMENDMENT_APPROVAL_THRESHOLD)
    rows = []
    for category in [*before, *(c for c in after if c not in before)]:
        old, amount = before.get(category, ZERO), after.get(category, ZERO)
        above = (category not in before or category not in after
                 or abs(amount - old) > old * threshold)
        rows.append(LineDifference(category, old, amount, above))
    return rows


def amendment_differences(amendment: Amendment) -> list[LineDifference]:
    if amendment.kind != AmendmentKind.BUDGET_REVISION:
        return []
    return budget_differences(amendment.previous_lines, amendment.budget_lines)


# --- who may see ---------------------------------------------------------------------------


def sees_amendments(user, grant: Grant) -> bool:
    """The secretariat and the grantee's members."""
    if user_can(user, "grant.manage"):
        return True
    membership = getattr(user, "membership", None) if Role.NGO in roles_of(user) else None
    return membership is not None and (
        membership.organisation_id == grant.application.organisation_id)


def get_amendments_grant_for(user, pk) -> Grant:
    """A grant whose amendments and agreement versions the user may see (404 otherwise)."""
    grant = get_implementation_grant_for(user, pk)
    if not sees_amendments(user, grant):
        raise Http404
    return grant


def grant_amendments(grant: Grant) -> QuerySet[Amendment]:
    """Newest first, with who requested and decided (a fixed number of queries)."""
    return (Amendment.objects.filter(grant=grant)
            .select_related("requested_by", "decided_by", "agreement_version")
            .order_by("-requested_at", "-id"))


def get_amendment_for(user, grant_pk, pk) -> Amendment:
    grant = get_amendments_grant_for(user, grant_pk)
    amendment = grant_amendments(grant).filter(pk=pk).first()
    if amendment is None:
        raise Http404
    return amendment


def agreement_versions(grant: Grant) -> QuerySet[AgreementVersion]:
    return (AgreementVersion.objects.filter(grant=grant)
            .select_related("grant", "amendment").order_by("number"))


def get_agreement_version_for(user, grant_pk, number) -> AgreementVersion:
    grant = get_amendments_grant_for(user, grant_pk)
    version = agreement_versions(grant).filter(number=number).first()
    if version is None:
        raise Http404
    return version


def approved_amendments(grant: Grant) -> list[Amendment]:
    """What the agreement's "Amendments" section lists, oldest first."""
    return list(Amendment.objects.filter(grant=grant, status=AmendmentStatus.APPROVED)
                .select_related("decided_by").order_by("decided_at", "id"))


def amendments_awaiting_decision() -> QuerySet[Amendment]:
    """Requests the secretariat has still to decide, oldest first (for its work queue)."""
    return (Amendment.objects.filter(status=AmendmentStatus.REQUESTED)
            .select_related("grant__application__organisation", "requested_by")
            .order_by("requested_at", "id"))
