"""Screening forms: the queue filter, the decision, clearing a sanctions match, confirming
priorities and the sanctions list upload."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grants.models import ApplicationStatus


class QueueFilterForm(forms.Form):
    call = forms.TypedChoiceField(label=gettext_lazy("Call"), required=False, coerce=int,
                                  empty_value=None)
    status = forms.ChoiceField(label=gettext_lazy("Show"), required=False, choices=[
        ("", gettext_lazy("To screen")),
        (ApplicationStatus.ELIGIBLE, gettext_lazy("Eligible")),
        (ApplicationStatus.INELIGIBLE, gettext_lazy("Ineligible"))])

    def __init__(self, *args, calls=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].choices = [("", _("All calls"))] + [
            (c.pk, _("No. %(n)s — %(title)s") % {"n": c.number, "title": c.title})
            for c in calls]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"), widget=forms.RadioSelect,
        choices=[("eligible", gettext_lazy("Eligible")),
                 ("ineligible", gettext_lazy("Ineligible"))])
    reasons = forms.CharField(
        label=gettext_lazy("Reasons"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Required when ineligible (sent to the organisation) and when "
                               "overriding a failed automatic check."))


class ClearMatchForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Why this is not the listed person or entity"),
                             max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class PrioritiesForm(forms.Form):
    confirmed = forms.MultipleChoiceField(
        label=gettext_lazy("Priorities the application truly addresses"), required=False,
        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, claims=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirmed"].choices = [(c.priority.code, c.priority.name) for c in claims]
        if not self.is_bound:
            self.initial["confirmed"] = [c.priority.code for c in claims if c.confirmed]


class SanctionsUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Consolidated List (XML)"),
                           help_text=gettext_lazy("The UN Security Council Consolidated List "
                                                  "in its XML format, at most 50 MB."))
