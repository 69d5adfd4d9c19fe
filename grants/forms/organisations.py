"""Organisation forms: the profile, the secretariat's list filter and verification."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries.fields import LazyTypedChoiceField

from fundapp.core.validators import single_line
from fundapp.core.widgets import SearchableSelect, country_choices
from grants.models import OrganisationStatus
from grants.models.organisations import VERIFICATION_CHECKS

from .common import money_field


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Organisation name"), max_length=200,
                           validators=[single_line])
    country = LazyTypedChoiceField(label=_("Country of registration"), choices=country_choices(),
                                   widget=SearchableSelect())
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
