"""Web forms: they check shapes (types, lengths, two decimals, known choices) only.

Rules that depend on state (the call's limits, the deadline, verification) live in
``grants.services`` and come back as ``FundError`` field errors.
"""

from decimal import Decimal

from django import forms
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField, LazyTypedMultipleChoiceField

from fundapp.core.validators import single_line
from grants.models import (
    ApplicationStatus,
    BudgetCategory,
    CallStatus,
    DocumentKind,
    OrganisationStatus,
    Service,
)
from grants.models.organisations import VERIFICATION_CHECKS

MAX_USD = Decimal("999999999999.99")
BENEFICIARY_GROUPS = (
    ("women", _("Women")), ("girls", _("Girls")), ("men", _("Men")), ("boys", _("Boys")),
)


def money_field(label, *, required=True, min_value=Decimal("0.01"), help_text=""):
    return forms.DecimalField(
        label=label, required=required, max_digits=14, decimal_places=2,
        min_value=min_value, max_value=MAX_USD, help_text=help_text,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )


def datetime_input():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


# ---------------------------------------------------------------- calls


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
        label=_("Eligible countries"), choices=countries, required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
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


class RemovableFormSet(forms.BaseFormSet):
    """A formset whose delete checkbox reads "Remove"."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove")


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


# ---------------------------------------------------------------- organisations


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Organisation name"), max_length=200,
                           validators=[single_line])
    country = LazyTypedChoiceField(label=_("Country of registration"), choices=countries)
    registration_number = forms.CharField(label=_("Registration number"), max_length=100)
    year_founded = forms.IntegerField(label=_("Year founded"), min_value=1800, max_value=2100,
                                      required=False)
    contact_name = forms.CharField(label=_("Contact person"), max_length=200, required=False,
                                   validators=[single_line])
    contact_email = forms.EmailField(label=_("Contact e-mail"), max_length=254, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=50, required=False)
    website = forms.URLField(label=_("Website"), max_length=200, required=False,
                             assume_scheme="https")
    address = forms.CharField(label=_("Address"), max_length=1000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    annual_budget_usd = money_field(_("Annual budget (USD)"), required=False,
                                    min_value=Decimal("0"))
    un_partner_portal_id = forms.CharField(label=_("UN Partner Portal ID"), max_length=50,
                                           required=False)
    track_record = forms.CharField(label=_("Track record"), max_length=5000, required=False,
                                   widget=forms.Textarea(attrs={"rows": 5}))
    psea_declaration = forms.BooleanField(
        label=_("We have a policy on protection from sexual exploitation and abuse (PSEA) "
                "and apply it to our staff, volunteers and partners."), required=False)

    @classmethod
    def initial_from(cls, org) -> dict:
        initial = {name: getattr(org, name) for name in cls.base_fields}
        initial["country"] = org.country.code
        return initial

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("year_founded", "annual_budget_usd"):
            data[name] = data.get(name)
        return data


class OrganisationFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All statuses")), *OrganisationStatus.choices])
    q = forms.CharField(label=_("Search"), max_length=100, required=False,
                        help_text=_("Name or registration number"))


class VerifyForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), widget=forms.RadioSelect,
        choices=[("approve", _("Verify the organisation")),
                 ("reject", _("Reject the registration"))])
    reasons = forms.CharField(
        label=_("Reasons"), max_length=5000, required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when rejecting. The organisation's users will read them."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in VERIFICATION_CHECKS.items():
            self.fields[f"check_{key}"] = forms.BooleanField(label=label, required=False)

    def checklist(self) -> dict[str, bool]:
        return {key: bool(self.cleaned_data.get(f"check_{key}")) for key in VERIFICATION_CHECKS}

    def check_fields(self):
        return [self[f"check_{key}"] for key in VERIFICATION_CHECKS]


# ---------------------------------------------------------------- applications


class ApplicationForm(forms.Form):
    """A draft's fields; every one optional so partial drafts save."""

    title = forms.CharField(label=_("Project title"), max_length=200, required=False,
                            validators=[single_line])
    summary = forms.CharField(label=_("Summary"), max_length=5000, required=False,
                              widget=forms.Textarea(attrs={"rows": 6}),
                              help_text=_("What the project does, for whom, and how. "
                                          "At most 5,000 characters."))
    countries = LazyTypedMultipleChoiceField(
        label=_("Countries of implementation"), choices=countries, required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
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
            self.fields["countries"].choices = [(c.code, c.name) for c in
                                                call.eligible_countries]
            self.fields["countries"].help_text = _("Only the countries eligible for this call "
                                                   "are listed.")
        self.fields["requested_usd"].help_text = _(
            "Between USD %(min)s and USD %(max)s for this call.") % {
            "min": f"{call.min_grant_usd:,.2f}", "max": f"{call.max_grant_usd:,.2f}"}
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
            (c.pk, f"#{c.number} {c.title}") for c in calls]
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
