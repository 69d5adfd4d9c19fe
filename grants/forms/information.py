"""The secretariat's request for information on an application."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_DAYS_TO_ANSWER = 14


class InformationRequestForm(forms.Form):
    message = forms.CharField(
        label=_("What is needed"), max_length=8000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Sent to the organisation's members as you write it: say which documents "
                    "or explanations you need."))
    due_on = forms.DateField(
        label=_("Answer due by"), widget=forms.DateInput(attrs={"type": "date"},
                                                         format="%Y-%m-%d"),
        help_text=_("A date in the future. Reminders go out 3 days and 1 day before."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["due_on"].initial = timezone.localdate() + timedelta(
            days=DEFAULT_DAYS_TO_ANSWER)
