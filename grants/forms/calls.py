"""Call forms: the call itself, its priorities, questions and answers, the manage list's
filter."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries.fields import LazyTypedMultipleChoiceField

from fundapp.core.validators import single_line
from fundapp.core.widgets import SearchableSelectMultiple, country_choices
from grants.models import CallStatus, DocumentKind

from .common import RemovableFormSet, datetime_input, money_field


class CallForm(forms.Form):
    number = forms.IntegerField(label=_("Call number"), min_value=1, max_value=32767,
                                help_text=_("1 for the 1st call, 7 for the 7th, …"))
    title_en = forms.CharField(label=_("Title (English)"), max_length=200,
                               validators=[single_line])
    title_fr = forms.CharField(label=_("Title (French)"), max_length=200, required=False,
                               validators=[single_line])
    description_en = forms.CharField(label=_("Description and terms (English)"),
                                     widget=forms.Textarea(attrs={"rows": 6}),
                                     max_length=20000, required=False)
    description_fr = forms.CharField(label=_("Description and terms (French)"),
                                     widget=forms.Textarea(attrs={"rows": 6}),
                                     max_length=20000, required=False)
    opens_at = forms.DateTimeField(label=_("Opens at"), widget=datetime_input())
    closes_at = forms.DateTimeField(label=_("Closes at (deadline)"), widget=datetime_input())
    envelope_usd = money_field(_("Envelope (USD)"))
    min_grant_usd = money_field(_("Minimum grant (USD)"))
    max_grant_usd = money_field(_("Maximum grant (USD)"))
    max_duration_months = forms.IntegerField(label=_("Maximum duration (months)"),
                                             min_value=1, max_value=120)
    required_documents = forms.MultipleChoiceField(
        label=_("Documents required from applicants"), choices=DocumentKind.choices,
        widget=forms.CheckboxSelectMultiple, required=False)
    eligible_countries = LazyTypedMultipleChoiceField(
        label=_("Eligible countries"), choices=country_choices(), required=False,
        widget=SearchableSelectMultiple(attrs={"data-help": _(
            "Leave empty to accept every country. Type a few letters and pick a country; "
            "repeat for several. × removes one.")}),
        help_text=_("Leave empty to accept every country. Hold Ctrl (or ⌘) to pick several."))

    def __init__(self, *args, tz_name: str = "UTC", **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("opens_at", "closes_at"):
            self.fields[name].help_text = _("In your time zone: %(tz)s.") % {"tz": tz_name}

    @staticmethod
    def initial_from(call) -> dict:
        initial = {name: getattr(call, name) for name in (
            "number", "title_en", "title_fr", "description_en", "description_fr", "opens_at",
            "closes_at", "envelope_usd", "min_grant_usd", "max_grant_usd",
            "max_duration_months", "required_documents")}
        initial["eligible_countries"] = [c.code for c in call.eligible_countries]
        return initial

    def values(self) -> dict:
        return dict(self.cleaned_data)


class PriorityForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40,
                           help_text=_("Short identifier, e.g. women-girls."))
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    name_fr = forms.CharField(label=_("Name (French)"), max_length=200, required=False)
    weight = forms.DecimalField(label=_("Weight"), max_digits=5, decimal_places=2,
                                min_value=Decimal("0.01"), initial=Decimal("1"),
                                widget=forms.NumberInput(attrs={"step": "0.01"}))


PriorityFormSet = forms.formset_factory(PriorityForm, formset=RemovableFormSet, extra=2,
                                        can_delete=True, max_num=20, validate_max=True)


def priority_values(formset) -> list[dict]:
    return [
        {k: f.cleaned_data[k] for k in ("code", "name_en", "name_fr", "weight")}
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


class QuestionForm(forms.Form):
    question = forms.CharField(label=_("Your question"), max_length=4000,
                               widget=forms.Textarea(attrs={"rows": 4}),
                               help_text=_("Questions and answers are published for all "
                                           "applicants, without your organisation's name."))


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), max_length=8000,
                             widget=forms.Textarea(attrs={"rows": 4}))
    publish = forms.BooleanField(label=_("Publish the question and answer to all applicants"),
                                 required=False, initial=True)


class CallManageFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All statuses")), *CallStatus.choices])
