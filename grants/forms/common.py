"""What the form modules share: money fields, date-time inputs, removable formsets."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_USD = Decimal("999999999999.99")


def money_field(label, *, required=True, min_value=Decimal("0.01"), help_text=""):
    return forms.DecimalField(
        label=label, required=required, max_digits=14, decimal_places=2,
        min_value=min_value, max_value=MAX_USD, help_text=help_text,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )


def datetime_input():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class RemovableFormSet(forms.BaseFormSet):
    """A formset whose delete checkbox reads "Remove"."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove")
