"""Who did what, by name, on a grant and on its progress reports (issue 13).

Every step of a grant is an audit row whose target is the grant itself (agreement, bank
details, payments, reports, amendments, suspension, refunds, closure, messages): one query
reads them, with their actors, whatever the number of rows.

Who sees which rows:

- the secretariat: every step;
- the Board (it sees the grant's page): every step except messages, which only the
  secretariat and the grantee read;
- the grantee organisation's members: what their own organisation's people did, plus the
  steps addressed to them, which the page and their notices already show (countersigned,
  bank details confirmed, payment recorded, report accepted or changes requested, amendment
  decided, extended, suspended, resumed, terminated, refund recorded, closed, messages), with
  the name of the secretariat person who took them. The secretariat's set-up steps before
  the agreement (grant created, tranches set, cancelled) are not shown to them;
- everyone else: nothing (the page is a 404 for them anyway).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fundapp.accounts.roles import Role, roles_of, user_can
from fundapp.core.audit import audit_trail_for
from grants.models import Grant, ProgressReport, ReportStatus

# What each recorded step of a grant is called on its History table.
GRANT_HISTORY_LABELS = {
    "grant.create": gettext_lazy("Grant created"),
    "grant.tranches": gettext_lazy("Tranches set"),
    "grant.cancel": gettext_lazy("Grant cancelled"),
    "grant.agreement_accept": gettext_lazy("Agreement accepted"),
    "grant.agreement_decline": gettext_lazy("Agreement declined"),
    "grant.agreement_countersign": gettext_lazy("Agreement countersigned"),
    "grant.bank_details_set": gettext_lazy("Bank details entered"),
    "grant.bank_details_confirm": gettext_lazy("Bank details confirmed"),
    "grant.disbursement": gettext_lazy("Payment recorded"),
    "grant.report_submit": gettext_lazy("Report submitted"),
    "grant.report_accept": gettext_lazy("Report accepted"),
    "grant.report_changes": gettext_lazy("Changes requested on a report"),
    "grant.amendment_request": gettext_lazy("Amendment requested"),
    "grant.amendment_approve": gettext_lazy("Amendment approved"),
    "grant.amendment_decline": gettext_lazy("Amendment declined"),
    "grant.extend": gettext_lazy("End date moved"),
    "grant.suspend": gettext_lazy("Grant suspended"),
    "grant.resume": gettext_lazy("Grant resumed"),
    "grant.terminate": gettext_lazy("Grant terminated"),
    "grant.refund": gettext_lazy("Refund recorded"),
    "grant.close": gettext_lazy("Grant closed"),
    "message.post": gettext_lazy("Message sent"),
}

# Steps the secretariat takes that are addressed to the grantee (shown to its members).
GRANTEE_SEES = frozenset({
    "grant.agreement_countersign", "grant.bank_details_confirm", "grant.disbursement",
    "grant.report_accept", "grant.report_changes", "grant.amendment_request",
    "grant.amendment_approve", "grant.amendment_decline", "grant.extend", "grant.suspend",
    "grant.resume", "grant.terminate", "grant.refund", "grant.close", "message.post",
    # the organisation's own steps, even by a person who has since left it
    "grant.agreement_accept", "grant.agreement_decline", "grant.bank_details_set",
    "grant.report_submit",
})

# Steps the Board does not see: the conversation between the secretariat and the grantee.
HIDDEN_FROM_BOARD = frozenset({"message.post"})


def _grantee_org(user, grant: Grant) -> int | None:
    membership = getattr(user, "membership", None) if Role.NGO in roles_of(user) else None
    if membership is not None and membership.organisation_id == \
            grant.application.organisation_id:
        return membership.organisation_id
    return None


def grant_history_for(user, grant: Grant, *, limit: int = 50) -> list:
    """Who did what to ``grant``, by name, newest first, with a ``label`` on each step
    (one query; see the module's notes for who sees which rows)."""
    trail = audit_trail_for(grant).order_by("-created_at", "-id")
    if user_can(user, "grant.manage"):
        pass
    elif (org := _grantee_org(user, grant)) is not None:
        trail = trail.filter(Q(verb__in=GRANTEE_SEES)
                             | Q(actor__membership__organisation_id=org))
    elif user_can(user, "grant.view_all"):
        trail = trail.exclude(verb__in=HIDDEN_FROM_BOARD)
    else:
        return []
    events = list(trail[:limit])
    for event in events:
        event.label = GRANT_HISTORY_LABELS.get(event.verb, event.verb)
    return events


@dataclass
class ReportStep:
    """One row of a report's History table (the same fields as an audit row's)."""

    created_at: datetime
    actor: object
    label: str
    note: str = ""


def report_history_for(user, report: ProgressReport, *, grant: Grant | None = None,
                       ) -> list[ReportStep]:
    """Who submitted each version of ``report``'s report due, and who accepted it or asked
    for changes, newest first (one query). The secretariat, the Board and the grantee's
    members see it all (the grant page shows them every version and its comments)."""
    grant = grant or report.grant
    if not (user_can(user, "grant.view_all") or _grantee_org(user, grant) is not None):
        return []
    versions = (ProgressReport.objects.filter(report_due_id=report.report_due_id)
                .select_related("submitted_by", "reviewed_by").order_by("version"))
    steps: list[ReportStep] = []
    for v in versions:
        if v.submitted_at:
            steps.append(ReportStep(v.submitted_at, v.submitted_by, _(
                "Version %(n)s submitted") % {"n": v.version}))
        if v.reviewed_at and v.status == ReportStatus.ACCEPTED:
            steps.append(ReportStep(v.reviewed_at, v.reviewed_by, _(
                "Version %(n)s accepted") % {"n": v.version}, v.review_comment))
        elif v.reviewed_at and v.status == ReportStatus.CHANGES_REQUESTED:
            steps.append(ReportStep(v.reviewed_at, v.reviewed_by, _(
                "Changes requested on version %(n)s") % {"n": v.version},
                v.review_comment))
    steps.sort(key=lambda s: s.created_at, reverse=True)
    return steps
