"""Amendment forms: a request of each kind (no-cost extension, budget revision, other
change) and the secretariat's decision. Shapes only; the rules are the service's."""

from django import forms
from django.utils.translation import gettext_lazy as _

from grants.models import AmendmentKind, BudgetCategory


class ExtensionForm(forms.Form):
    kind = forms.CharField(widget=forms.HiddenInput, initial=AmendmentKind.NO_COST_EXTENSION)
    new_end_date = forms.DateField(label=_("New end date"),
                                   widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Why is more time needed?"), widget=forms.Textarea(
        attrs={"rows": 3}), max_length=8000)

    def service_values(self) -> dict:
        data = self.cleaned_data
        return {"kind": data["kind"], "reason": data["reason"],
                "new_end_date": data["new_end_date"]}


class OtherChangeForm(forms.Form):
    kind = forms.CharField(widget=forms.HiddenInput, initial=AmendmentKind.OTHER)
    details = forms.CharField(label=_("The change"), widget=forms.Textarea(attrs={"rows": 3}),
                              max_length=8000)
    reason = forms.CharField(label=_("Why?"), widget=forms.Textarea(attrs={"rows": 3}),
                             max_length=8000)

    def service_values(self) -> dict:
        data = self.cleaned_data
        return {"kind": data["kind"], "reason": data["reason"], "details": data["details"]}


class BudgetRevisionForm(forms.Form):
    """One amount per line of the current budget (0 removes the line) and one new line."""

    kind = forms.CharField(widget=forms.HiddenInput, initial=AmendmentKind.BUDGET_REVISION)
    reason = forms.CharField(label=_("Why does the budget change?"), widget=forms.Textarea(
        attrs={"rows": 3}), max_length=8000)
    new_category = forms.ChoiceField(label=_("New line: category"), required=False,
                                     choices=[("", "—"), *BudgetCategory.choices])
    new_description = forms.CharField(label=_("New line: description"), required=False,
                                      max_length=300)
    new_amount = forms.DecimalField(label=_("New line: amount (USD)"), required=False,
                                    min_value=0, max_digits=14, decimal_places=2)

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        labels = dict(BudgetCategory.choices)
        for i, line in enumerate(self.lines):
            label = labels.get(line["category"], line["category"])
            if line["description"]:
                label = f"{label} — {line['description']}"
            self.fields[f"line_{i}"] = forms.DecimalField(
                label=label, min_value=0, max_digits=14, decimal_places=2,
                initial=line["amount_usd"])

    def line_fields(self):
        return [self[f"line_{i}"] for i in range(len(self.lines))]

    def new_line_fields(self):
        return [self["new_category"], self["new_description"], self["new_amount"]]

    def clean(self):
        data = super().clean()
        if data.get("new_amount") and not data.get("new_category"):
            self.add_error("new_category", _("Choose the new line's category."))
        return data

    def service_values(self) -> dict:
        data = self.cleaned_data
        lines = [{"category": line["category"], "description": line["description"],
                  "amount_usd": data[f"line_{i}"]}
                 for i, line in enumerate(self.lines) if data.get(f"line_{i}")]
        if data.get("new_amount"):
            lines.append({"category": data["new_category"],
                          "description": data.get("new_description", ""),
                          "amount_usd": data["new_amount"]})
        return {"kind": data["kind"], "reason": data["reason"], "budget_lines": lines}


class DecisionForm(forms.Form):
    reason = forms.CharField(label=_("Reason (required to decline)"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)
