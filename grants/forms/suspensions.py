"""Suspension, resumption and termination forms of the grant page (the secretariat)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class SuspendForm(forms.Form):
    reason = forms.CharField(label=_("Why is the grant suspended?"), widget=forms.Textarea(
        attrs={"rows": 3}), max_length=4000)


class ResumeForm(forms.Form):
    reason = forms.CharField(label=_("Why is the grant resumed?"), widget=forms.Textarea(
        attrs={"rows": 2}), max_length=4000)


class TerminateForm(forms.Form):
    reason = forms.CharField(label=_("Why is the grant terminated?"), widget=forms.Textarea(
        attrs={"rows": 3}), max_length=4000)
