"""Implementation forms: signing or declining the agreement, bank details, payments, report
review, closure and the grantee's report."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from fundapp.core.idempotency import FormTokenField
from grants.models import BudgetCategory, Service, UnspentTreatment, VictimGroup
from grants.services import implementation as svc


class SignForm(forms.Form):
    signatory_name = forms.CharField(label=_("Signatory's name"), max_length=200)
    signatory_title = forms.CharField(label=_("Signatory's title"), max_length=200)


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Why do you decline?"), widget=forms.Textarea,
                             max_length=4000)


class BankForm(forms.Form):
    account_holder = forms.CharField(label=_("Account holder"), max_length=200)
    account_number = forms.CharField(label=_("IBAN or account number"), max_length=64)
    bank_name = forms.CharField(label=_("Bank name"), max_length=200)
    swift = forms.CharField(label=_("SWIFT/BIC"), max_length=11, required=False)


class PaymentForm(forms.Form):
    tranche = forms.TypedChoiceField(label=_("Tranche"), coerce=int)
    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}))
    amount_usd = forms.DecimalField(label=_("Amount (USD)"), max_digits=14, decimal_places=2)
    reference = forms.CharField(label=_("Payment reference"), max_length=64)
    form_token = FormTokenField()

    def __init__(self, *args, tranches=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tranche"].choices = [(t.position, f"#{t.position}") for t in tranches]


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("Comments"), widget=forms.Textarea, required=False,
                              max_length=8000)


class CloseForm(forms.Form):
    treatment = forms.ChoiceField(label=_("Unspent balance"), required=False,
                                  choices=[("", "—"), *UnspentTreatment.choices[1:]])
    reason = forms.CharField(label=_("Reason (required to write off)"), required=False,
                             widget=forms.Textarea, max_length=4000)


class ReportForm(forms.Form):
    achievements = forms.CharField(label=_("Achievements"), widget=forms.Textarea,
                                   max_length=20000)
    challenges = forms.CharField(label=_("Challenges"), widget=forms.Textarea,
                                 required=False, max_length=20000)
    lessons = forms.CharField(label=_("Lessons learned"), widget=forms.Textarea,
                              required=False, max_length=20000)
    story = forms.CharField(label=_("A survivor-centred story (no names, places or other "
                                     "identifying details)"), widget=forms.Textarea,
                            required=False, max_length=20000)
    consent_confirmed = forms.BooleanField(
        label=_("The survivor gave informed consent and the story has no identifying "
                 "details"), required=False)
    victims_total = forms.IntegerField(label=_("Victims assisted (total)"), min_value=0)

    def __init__(self, *args, approved: dict[str, Decimal], **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in VictimGroup.choices:
            self.fields[f"group_{key}"] = forms.IntegerField(label=label, min_value=0,
                                                             required=False)
        for key, label in Service.choices:
            self.fields[f"service_{key}"] = forms.IntegerField(label=label, min_value=0,
                                                               required=False)
        self.approved = approved
        for key, label in BudgetCategory.choices:
            if key in approved:
                self.fields[f"spent_{key}"] = forms.DecimalField(
                    label=label, min_value=0, max_digits=14, decimal_places=2)

    def group_fields(self):
        return [self[name] for name in self.fields if name.startswith("group_")]

    def service_fields(self):
        return [self[name] for name in self.fields if name.startswith("service_")]

    def expenditure_rows(self):
        return [(self[f"spent_{key}"], self.approved[key]) for key, _label in
                BudgetCategory.choices if key in self.approved]

    def report_input(self) -> svc.ReportInput:
        data = self.cleaned_data

        def counts(prefix):
            return {name[len(prefix):]: value for name, value in data.items()
                    if name.startswith(prefix) and value is not None}

        return svc.ReportInput(
            achievements=data["achievements"], challenges=data["challenges"],
            lessons=data["lessons"], story=data["story"],
            consent_confirmed=data["consent_confirmed"], victims_total=data["victims_total"],
            expenditure=[{"category": key, "approved_usd": self.approved[key],
                          "spent_usd": data[f"spent_{key}"]} for key in self.approved],
            by_group=counts("group_"), by_service=counts("service_"))
