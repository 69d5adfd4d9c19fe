"""Application forms: the draft, its budget lines, attachments, withdrawal, the list's
filter and sort."""

from django import forms
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedMultipleChoiceField

from fundapp.core.formatting import countries_sorted, money
from fundapp.core.validators import single_line
from fundapp.core.widgets import SearchableSelectMultiple, country_choices
from grants.models import ApplicationStatus, BudgetCategory, DocumentKind, Service

from .common import RemovableFormSet, money_field

BENEFICIARY_GROUPS = (
    ("women", _("Women")), ("girls", _("Girls")), ("men", _("Men")), ("boys", _("Boys")),
)


class ApplicationForm(forms.Form):
    """A draft's fields; every one optional so partial drafts save."""

    title = forms.CharField(label=_("Project title"), max_length=200, required=False,
                            validators=[single_line])
    summary = forms.CharField(label=_("Summary"), max_length=5000, required=False,
                              widget=forms.Textarea(attrs={"rows": 6}),
                              help_text=_("What the project does, for whom, and how. "
                                          "At most 5,000 characters."))
    countries = LazyTypedMultipleChoiceField(
        label=_("Countries of implementation"), choices=country_choices(), required=False,
        widget=SearchableSelectMultiple(size=6),
        help_text=_("Hold Ctrl (or ⌘) to pick several."))
    requested_usd = money_field(_("Amount requested (USD)"), required=False)
    duration_months = forms.IntegerField(label=_("Duration (months)"), min_value=1,
                                         max_value=120, required=False)
    start_date = forms.DateField(label=_("Planned start date"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"},
                                                        format="%Y-%m-%d"))
    services = forms.MultipleChoiceField(label=_("Services offered"), choices=Service.choices,
                                         widget=forms.CheckboxSelectMultiple, required=False)

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        if call.eligible_countries:
            self.fields["countries"].choices = countries_sorted(call.eligible_countries)
            self.fields["countries"].help_text = _("Only the countries eligible for this call "
                                                   "are listed.")
            self.fields["countries"].widget.attrs["data-help"] = _(
                "Only the countries eligible for this call are listed. Type a few letters and "
                "pick a country; repeat for several. × removes one.")
        self.fields["requested_usd"].help_text = _(
            "Between %(min)s and %(max)s for this call.") % {
            "min": money(call.min_grant_usd), "max": money(call.max_grant_usd)}
        self.fields["duration_months"].help_text = _("At most %(n)s months.") % {
            "n": call.max_duration_months}
        for key, label in BENEFICIARY_GROUPS:
            self.fields[f"beneficiaries_{key}"] = forms.IntegerField(
                label=label, min_value=0, max_value=10_000_000, required=False)
        self.priorities = list(call.priorities.all())
        for p in self.priorities:
            self.fields[f"priority-{p.code}"] = forms.BooleanField(
                label=_("The project addresses this priority"), required=False)
            self.fields[f"justification-{p.code}"] = forms.CharField(
                label=_("How the project addresses it"), max_length=3000, required=False,
                widget=forms.Textarea(attrs={"rows": 3}))

    @staticmethod
    def initial_from(app) -> dict:
        initial = {
            "title": app.title, "summary": app.summary,
            "countries": [c.code for c in app.countries], "requested_usd": app.requested_usd,
            "duration_months": app.duration_months, "start_date": app.start_date,
            "services": list(app.services),
        }
        for key, _label in BENEFICIARY_GROUPS:
            initial[f"beneficiaries_{key}"] = getattr(app, f"beneficiaries_{key}")
        for claim in app.priority_claims.all():
            initial[f"priority-{claim.priority.code}"] = True
            initial[f"justification-{claim.priority.code}"] = claim.justification
        return initial

    def beneficiary_fields(self):
        return [self[f"beneficiaries_{key}"] for key, _label in BENEFICIARY_GROUPS]

    def priority_rows(self):
        return [(p, self[f"priority-{p.code}"], self[f"justification-{p.code}"])
                for p in self.priorities]

    def _sent(self, name: str) -> bool:
        """Was the field in the request? Multi-value fields are announced by ``present``

        (browsers omit a multi-select or checkbox group with nothing ticked), so a partial or
        forged request never blanks out what it did not send.
        """
        present = self.data.getlist("present") if hasattr(self.data, "getlist") else []
        return name in self.data or name in present

    def valid_values(self) -> dict:
        """The values of every field sent and valid (the service checks the rest)."""
        data, values = self.cleaned_data, {}
        for name in ("title", "summary", "countries", "requested_usd", "duration_months",
                     "start_date", "services"):
            if name in data and self._sent(name):
                values[name] = data[name]
        groups = {key: data[f"beneficiaries_{key}"] or 0 for key, _label in BENEFICIARY_GROUPS
                  if f"beneficiaries_{key}" in data and self._sent(f"beneficiaries_{key}")}
        if groups:
            values["beneficiaries"] = groups
        names = [f"{kind}-{p.code}" for p in self.priorities
                 for kind in ("priority", "justification")]
        if self._sent("priorities") and all(name in data for name in names):
            values["priorities"] = {p.code: data[f"justification-{p.code}"]
                                    for p in self.priorities if data[f"priority-{p.code}"]}
        return values


class BudgetLineForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"),
                                 choices=[("", "—"), *BudgetCategory.choices])
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    amount = money_field(_("Amount (USD)"))


class BaseBudgetLineFormSet(RemovableFormSet):
    """Every row is optional: a blank row is ignored rather than refused."""

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "empty_permitted": True}

    def lines(self) -> list[dict]:
        return [
            {k: f.cleaned_data[k] for k in ("category", "description", "amount")}
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]


BudgetLineFormSet = forms.formset_factory(
    BudgetLineForm, formset=BaseBudgetLineFormSet, extra=1, can_delete=True, max_num=50,
    validate_max=True)
BUDGET_PREFIX = "lines"


def budget_formset(app=None, data=None) -> BaseBudgetLineFormSet:
    if data is not None:
        return BudgetLineFormSet(data, prefix=BUDGET_PREFIX)
    initial = [{"category": line.category, "description": line.description,
                "amount": line.amount} for line in app.budget_lines.all()]
    return BudgetLineFormSet(initial=initial, prefix=BUDGET_PREFIX)


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"),
                             choices=[("", "—"), *DocumentKind.choices])
    file = forms.FileField(label=_("File"), max_length=255,
                           help_text=_("PDF, DOCX, XLSX, ODT, PNG or JPEG; at most 10 MB."))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why are you withdrawing this application?"),
                             max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))


class ApplicationFilterForm(forms.Form):
    SORTS = {
        "reference": "reference", "title": "title", "organisation": "organisation__name",
        "requested": "requested_usd", "status": "status", "submitted": "submitted_at",
    }
    q = forms.CharField(label=_("Search"), max_length=100, required=False,
                        help_text=_("Title, reference or organisation"))
    call = forms.TypedChoiceField(label=_("Call"), coerce=int, required=False, empty_value=None)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All statuses")), *ApplicationStatus.choices])
    country = forms.ChoiceField(label=_("Country"), required=False)
    priority = forms.ChoiceField(label=_("Priority"), required=False)
    sort = forms.ChoiceField(required=False, choices=[
        (f"{sign}{key}", key) for key in SORTS for sign in ("", "-")])

    def __init__(self, *args, calls, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("All countries")), *countries]
        self.fields["call"].choices = [("", _("All calls"))] + [
            (c.pk, str(c)) for c in calls]
        seen: dict[str, str] = {}
        for call in calls:
            for p in call.priorities.all():
                seen.setdefault(p.code, p.name)
        self.fields["priority"].choices = [("", _("All priorities")), *sorted(
            seen.items(), key=lambda item: item[1])]

    def ordering(self) -> list:
        """Sort expressions for the chosen column; empty values last either way."""
        sort = self.cleaned_data.get("sort") or "-submitted"
        column = F(self.SORTS[sort.lstrip("-")])
        first = column.desc(nulls_last=True) if sort.startswith("-") else column.asc(
            nulls_last=True)
        return [first, "-created_at", "-id"]
