"""Forms of deadline extensions and of cloning a call: shapes only (the rules are in
``grants.services.extensions`` and ``grants.services.calls.call_clone``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from grants.models import Organisation

from .common import datetime_input


def _zone_help(tz_name: str) -> str:
    return _("In your time zone: %(tz)s.") % {"tz": tz_name}


class ExtensionForm(forms.Form):
    """Extend one application's deadline (on the application's page)."""

    until = forms.DateTimeField(label=_("May submit until"), widget=datetime_input())
    reason = forms.CharField(label=_("Reason"), max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Kept in the audit trail and sent to the "
                                         "organisation."))

    def __init__(self, *args, tz_name: str = "UTC", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["until"].help_text = _zone_help(tz_name)


class OrganisationExtensionForm(ExtensionForm):
    """Extend one organisation's deadline on a call (on the call's extensions page)."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(),
        help_text=_("All its applications to this call, drafts included; it may also start "
                    "one until then."))

    field_order = ["organisation", "until", "reason"]

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"].queryset = organisations


class CallCloneForm(forms.Form):
    number = forms.IntegerField(label=_("Number of the new call"), min_value=1,
                                max_value=32767)
    opens_at = forms.DateTimeField(label=_("Opens at"), widget=datetime_input())
    closes_at = forms.DateTimeField(label=_("Closes at (deadline)"), widget=datetime_input())

    def __init__(self, *args, tz_name: str = "UTC", **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("opens_at", "closes_at"):
            self.fields[name].help_text = _zone_help(tz_name)
