"""The "Record a refund" form of the grant page (the secretariat)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from fundapp.core.idempotency import FormTokenField


class RefundForm(forms.Form):
    amount_usd = forms.DecimalField(label=_("Amount (USD)"), max_digits=14, decimal_places=2)
    received_on = forms.DateField(label=_("Received on"),
                                  widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label=_("Bank reference"), max_length=64)
    note = forms.CharField(label=_("Note (optional)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)
    form_token = FormTokenField()
