"""Every notification kind donors sends (imported once from ``DonorsConfig.ready``); see
``fundapp.notifications.kinds`` for what a kind is and ``grants/notifications.py`` for the
grant cycle's kinds."""

from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

from fundapp.core.formatting import money
from fundapp.notifications.kinds import Kind, register


def _receipt_context(data: dict) -> dict:
    # Older rows hold the amount already written out ("EUR 250,000.00"): shown as it is.
    from donors.models.donors import public_name

    return {"received_on": parse_date(data.get("received_on") or ""),
            "amount": money(data.get("amount"), data.get("currency") or "USD"),
            # "Pologne" for a French reader of the State recorded as "Poland"
            "donor_name": public_name(data.get("donor") or "", False,
                                      donor_type=data.get("donor_type") or "",
                                      country=data.get("donor_country") or "")}


# Contributions (donors.services.contributions): the receipt and thanks to the donor.
register("contribution_receipt", Kind(
    _("Thank you: contribution {receipt_number} received"),
    _("Receipts and thanks for contributions"), context=_receipt_context,
    action=_("Download your receipt (PDF)")))

# Targets (donors.services.targets): a milestone of the year's funding target reached
# (task "donors.check_milestones").
register("target_milestone", Kind(
    # xgettext:no-python-format
    _("{year} funding has reached {percent} % of the target"),
    _("Funding target milestones"), essential=False, action=_("See the fund's reports")))
