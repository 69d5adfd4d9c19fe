"""The irreversible steps of the grant cycle and what each one does, said before it is done.

Each web view of such a step is decorated with one of these; its form includes
``partials/confirm.html`` with the same text (one msgid, one translation).
"""

from django.utils.translation import gettext_lazy as _

from fundapp.core.confirm import confirmation_required

STEPS = {
    "application-submit": (
        _("Submitting sends the application to the Fund: you can no longer edit it, and you "
          "get a reference number and a receipt."),
        _("Submit the application")),
    "session-close": (
        _("Closing the session freezes every vote and decision, signs them, creates grants "
          "for the approved applications and tells every applicant."),
        _("Close and sign")),
    "portfolio-finalise": (
        _("Finalising freezes this recommendation as a final version, moves the ranked "
          "applications to recommended or not recommended and tells the Board of Trustees."),
        _("Finalise the recommendation")),
    "agreement-countersign": (
        _("Countersigning makes the agreement binding and the grant active; its terms can "
          "then change only by an amendment."),
        _("Countersign the agreement")),
    "payment-record": (
        _("Recording the payment adds it to the grant's disbursements and the fund's "
          "accounts and tells the organisation; a recorded payment cannot be changed or "
          "deleted."),
        _("Record the payment")),
    "grant-close": (
        _("Closing the grant records its final figures and the treatment of the unspent "
          "balance; no payment or report can be recorded on it afterwards."),
        _("Close the grant")),
    "grant-cancel": (
        _("Cancelling the grant ends it for good: no payment can be made on it any more."),
        _("Cancel the grant")),
    "grant-terminate": (
        _("Terminating the grant ends it for good: no payment can be made on it any more, no "
          "report is expected, and its unspent balance is fixed now for the organisation to "
          "refund."),
        _("Terminate the grant")),
    "refund-record": (
        _("Recording the refund adds it to the fund's accounts and reports and tells the "
          "organisation; a recorded refund cannot be changed or deleted."),
        _("Record the refund")),
    "amendment-approve": (
        _("Approving the amendment changes the grant's terms now (its end date and later "
          "report dates, or its budget), stores a new version of the agreement and tells the "
          "organisation."),
        _("Approve the amendment")),
    "agreement-decline": (
        _("Declining the agreement cancels the grant for good: the Fund will pay nothing "
          "under it."),
        _("Decline the agreement")),
    "call-publish": (
        _("Publishing makes the call visible to everyone and opens it to applications; its "
          "priorities can no longer change."),
        _("Publish the call")),
    "call-close": (
        _("Closing the call ends submissions now: no more applications can be submitted "
          "to it."),
        _("Close the call")),
    "member-remove": (
        _("Removing this member ends their access to the organisation's applications and "
          "grants at once; only a new invitation can bring them back."),
        _("Remove the member")),
    "member-leave": (
        _("Leaving ends your access to the organisation's applications and grants at once; "
          "only a new invitation can bring you back."),
        _("Leave the organisation")),
    "invitation-revoke": (
        _("Revoking the invitation makes its link stop working; send a new invitation to "
          "invite this person again."),
        _("Revoke the invitation")),
}


def confirm(step: str):
    """The view decorator refusing ``step`` unless the POST confirms it."""
    what, action = STEPS[step]
    return confirmation_required(what, action)
