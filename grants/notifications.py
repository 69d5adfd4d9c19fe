"""Every notification kind grants sends, grouped by sub-domain (imported once from
``GrantsConfig.ready``).

A kind is a subject (a format string over the notification's ``data``), a label for the
preferences and monitoring pages, whether it is essential, and optionally extra template
context computed from ``data`` under the recipient's language (see
``fundapp.notifications.kinds``). Its message is ``templates/notifications/messages/<kind>.txt``
(and optionally ``.html``); the service that sends it calls ``notify(kind=…)``.
"""

from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from fundapp.core.formatting import money
from fundapp.notifications.kinds import Kind, register


def _deadline_context(data: dict) -> dict:
    days = data.get("days")
    return {"closes_at": parse_datetime(data.get("closes_at") or ""),
            "days_left": ngettext("in %(n)s day", "in %(n)s days", days) % {"n": days}
            if isinstance(days, int) else ""}


def _call_closed_context(data: dict) -> dict:
    from grants.models import ApplicationStatus

    counts = []
    for status, number in (data.get("counts") or {}).items():
        label = ApplicationStatus(status).label if status in ApplicationStatus.values else status
        counts.append((str(label), number))
    return {"counts": counts}


def _session_context(data: dict) -> dict:
    from grants.models import SessionKind

    kind = data.get("kind")
    return {"kind_label": SessionKind(kind).label if kind in SessionKind.values else kind,
            "closes_at": parse_datetime(data.get("closes_at") or ""),
            "meeting_date": parse_date(data.get("meeting_date") or "")}


def _decision_context(data: dict) -> dict:
    from grants.models import Decision

    decision = data.get("decision")
    return {"decision_label": Decision(decision).label if decision in Decision.values
            else decision}


def _board_closed_context(data: dict) -> dict:
    from grants.models import Decision

    counts = [(str(Decision(d).label) if d in Decision.values else d, n)
              for d, n in (data.get("counts") or {}).items()]
    return {"counts": counts}


def _report_context(data: dict) -> dict:
    from grants.models import ReportKind

    kind = data.get("kind")
    return {"kind_label": ReportKind(kind).label if kind in ReportKind.values else kind,
            "due_date": parse_date(data.get("due_date") or ""),
            "paid_on": parse_date(data.get("paid_on") or "")}


def _payment_context(data: dict) -> dict:
    return _report_context(data) | {"amount": money(data.get("amount_usd"))}


# Calls (grants.services.calls): deadline reminders to organisations holding a draft (task
# "grants.deadline_reminders"), the closing summary to the secretariat, published answers.
register("call_deadline_reminder", Kind(
    _("Call {call_number} closes {days_left}"), _("Call deadline reminders"),
    essential=False, context=_deadline_context))
register("call_closed", Kind(
    _("Call {call_number} has closed"), _("Call closed: summary"),
    context=_call_closed_context))
register("clarification_answered", Kind(
    _("New clarification published for call {call_number}"),
    _("Answers to questions on calls"), essential=False))

# Applications (grants.services.applications): the receipt to the organisation, the notice
# to the secretariat.
register("application_submitted", Kind(
    _("Application {reference} received"), _("Receipt of your application")))
register("application_submitted_staff", Kind(
    _("New application {reference} submitted"), _("New application submitted")))


# Deadline extensions (grants.services.extensions): the new deadline, to the organisation.
def _extension_context(data: dict) -> dict:
    return {"until": parse_datetime(data.get("until") or "")}


register("deadline_extended", Kind(
    _("Call {call_number}: your deadline is extended"), _("Deadline extended for you"),
    context=_extension_context))
# ... and its revocation: the call's own closing time applies again.
register("deadline_extension_revoked", Kind(
    _("Call {call_number}: your deadline extension is withdrawn"),
    _("Deadline extension withdrawn"),
    context=lambda data: _extension_context(data) | _deadline_context(data)))

# Requests for information (grants.services.information): the request to the organisation,
# reminders 3 days and 1 day before it is due (task "grants.information_reminders"), the
# answer to the secretariat.
def _information_context(data: dict) -> dict:
    from fundapp.core.formatting import date

    due = parse_date(data.get("due_on") or "")
    return {"due_on_date": due, "due": date(due) if due else ""}


register("information_requested", Kind(
    _("Information requested on application {reference}: answer by {due}"),
    _("Requests for information on your applications"), context=_information_context))
register("information_reminder", Kind(
    _("Reminder: answer the request for information on {reference} by {due}"),
    _("Reminders of requests for information"), essential=False,
    context=_information_context))
register("information_provided", Kind(
    _("{organisation} answered the request for information on {reference}"),
    _("Answers to requests for information"), context=_information_context))

# Organisations (grants.services.organisations): the outcome of the secretariat's check.
register("organisation_verified", Kind(
    _("{organisation} is verified"), _("Organisation verified")))
register("organisation_rejected", Kind(
    _("{organisation} could not be verified"), _("Organisation not verified")))



# Members (grants.services.invitations, grants.services.members): the invitation to an
# address, its acceptance to the inviter and the admins, a member's role change or removal.
def _org_role_context(data: dict) -> dict:
    from fundapp.accounts.roles import role_labels
    from grants.models import OrgRole

    role = data.get("role") or ""
    return {"role_label": OrgRole(role).label if role in OrgRole.values else role,
            "role_labels": role_labels(data.get("roles")),
            "expires_at": parse_datetime(data.get("expires_at") or "")}


register("invitation", Kind(
    _("{inviter} invites you to FundApp"), _("Invitation to FundApp"),
    context=_org_role_context))
register("invitation_accepted", Kind(
    _("{name} joined {organisation}"), _("A colleague accepted an invitation"),
    essential=False, context=_org_role_context))
register("member_role_changed", Kind(
    _("Your role in {organisation} changed"), _("Your role in your organisation changed"),
    context=_org_role_context))
register("member_removed", Kind(
    _("You are no longer a member of {organisation}"),
    _("Removed from your organisation")))

# Screening (grants.services.screening): the eligibility outcome to the organisation.
register("application_eligible", Kind(
    _("Application {reference} passed screening"), _("Application found eligible")))
register("application_ineligible", Kind(
    _("Application {reference} is not eligible"), _("Application found ineligible")))

# Reviews (grants.services.reviews): assignment, declared conflicts, weekly reminders of
# pending reviews (task "grants.review_reminders").
register("review_assigned", Kind(
    _("New application to review: {reference}"), _("Review assigned to you")))
register("review_conflict_declared", Kind(
    _("Conflict of interest declared on {reference}: reassign"),
    _("Reviewer declared a conflict of interest")))
register("review_reminder", Kind(
    _("Reminder: your review of {reference} is pending"), _("Pending review reminders"),
    essential=False))

# Ranking (grants.services.ranking): the final portfolio recommendation, to the Board.
register("portfolio_finalised", Kind(
    _("Call {call_number}: portfolio recommendation version {version} is final"),
    _("Portfolio recommendation finalised for the board")))

# Board of Trustees (grants.services.board): a session opens, vote reminders before a
# written procedure closes (task "grants.board_vote_reminders"), each decision to the
# organisation, the closing summary to the secretariat.
register("board_session_opened", Kind(
    _("Board session on call {call_number}: your vote is needed"),
    _("Board session opened"), context=_session_context))
register("board_vote_reminder", Kind(
    _("Reminder: vote on call {call_number} before the written procedure closes"),
    _("Board vote reminders"), context=_session_context))
register("board_decision", Kind(
    _("Decision of the Board of Trustees on application {reference}"),
    _("Board decision on your application"), context=_decision_context))
register("board_session_closed", Kind(
    _("Board decisions recorded for call {call_number}"),
    _("Board session closed"), context=_board_closed_context))

# Grants in implementation (grants.services.implementation): the agreement countersigned,
# tranche payments, progress reports reviewed, due and overdue (task
# "grants.report_reminders").
register("grant_active", Kind(
    _("Agreement {agreement_number} countersigned: the grant is active"),
    _("Grant agreement countersigned"), context=_report_context))
register("tranche_paid", Kind(
    _("Payment of {amount} on grant {agreement_number}"),
    _("Tranche payments"), context=_payment_context))
register("report_accepted", Kind(
    _("Your report on grant {agreement_number} is accepted"),
    _("Progress report accepted"), context=_report_context))
register("report_changes_requested", Kind(
    _("Changes requested on your report on grant {agreement_number}"),
    _("Progress report: changes requested"), context=_report_context))
register("report_due", Kind(
    _("A report on grant {agreement_number} is due on {due_date}"),
    _("Progress report due reminders"), context=_report_context))
register("report_overdue", Kind(
    _("A report on grant {agreement_number} is overdue"),
    _("Progress report overdue"), context=_report_context))


# Suspension, resumption, termination and refunds (grants.services.suspensions,
# grants.services.refunds): the organisation's members hear of each, with the reason.
def _refund_context(data: dict) -> dict:
    return {"amount": money(data.get("amount_usd")),
            "received_on": parse_date(data.get("received_on") or "")}


register("grant_suspended", Kind(
    _("Grant {agreement_number} is suspended"), _("Grant suspended")))
register("grant_resumed", Kind(
    _("Grant {agreement_number} is resumed"), _("Grant resumed")))
register("grant_terminated", Kind(
    _("Grant {agreement_number} is terminated"), _("Grant terminated")))
register("refund_recorded", Kind(
    _("Refund of {amount} received on grant {agreement_number}"),
    _("Refund received"), context=_refund_context))

# People (grants.services.people): the secretariat changes a user's roles, deactivates an
# account that still has pending work (to its colleagues), reactivates one.
def _roles_context(data: dict) -> dict:
    from fundapp.accounts.roles import role_labels

    return {"role_labels": role_labels(data.get("roles"))}


register("account_roles_changed", Kind(
    _("Your roles in the Fund's system have changed"), _("Your roles changed"),
    context=_roles_context))
register("account_deactivated_work", Kind(
    _("{name} is deactivated: pending work to reassign"),
    _("Deactivated account with pending work")))
register("account_reactivated", Kind(
    _("Your account is active again"), _("Account reactivated")))
register("sanctions_person_match", Kind(
    _("Board member {name}: possible sanctions-list match to review"),
    _("Possible sanctions match of a Board member")))

# Personal data (grants.services.privacy): the last e-mail to a person closing their
# account (rendered before their address is erased), and the secretariat's summary when the
# retention policy anonymised people (counts only, never names).
register("account_closed", Kind(
    _("Your FundApp account is closed"), _("Account closed")))
register("retention_anonymised", Kind(
    _("Retention policy: people anonymised ({count})"),
    _("Retention policy: people anonymised"), essential=False))

# Message threads (grants.services.messages): each message on an application's or a grant's
# thread, to the other side (the organisation's members, or the secretariat).
register("message_posted", Kind(
    _("New message on {reference}"), _("New messages from the secretariat or an organisation"),
    essential=False))


# Amendments (grants.services.amendments): a request to the other side (the secretariat of
# an organisation's request, the organisation of the secretariat's or of a revision recorded
# only), the decision to the organisation.
def _amendment_context(data: dict) -> dict:
    from grants.models import AmendmentKind, AmendmentStatus, BudgetCategory

    kind, status = data.get("kind"), data.get("status")
    categories = dict(BudgetCategory.choices)
    lines = [{"label": str(categories.get(line.get("category"), line.get("category"))),
              "previous": money(line.get("previous_usd")), "new": money(line.get("new_usd"))}
             for line in data.get("lines") or []]
    return {"kind_label": AmendmentKind(kind).label if kind in AmendmentKind.values else kind,
            "status_label": (AmendmentStatus(status).label if status in AmendmentStatus.values
                             else status),
            # the subject's first word: "Approved: grant VTF-5-031"
            "decision": _("Approved") if status == AmendmentStatus.APPROVED else _("Declined"),
            "new_end_date": parse_date(data.get("new_end_date") or ""),
            "previous_end_date": parse_date(data.get("previous_end_date") or ""),
            "lines": lines}


register("amendment_requested", Kind(
    _("Amendment requested on grant {agreement_number}"), _("Amendment requested"),
    context=_amendment_context))
register("amendment_decided", Kind(
    _("{decision}: grant {agreement_number}"), _("Amendment decided"),
    context=_amendment_context))
