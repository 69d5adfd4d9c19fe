from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries.fields import LazyTypedChoiceField

from fundapp.core import formatting
from fundapp.core.validators import single_line
from fundapp.core.widgets import SearchableSelect, country_choices

from .models import User
from .selectors import email_in_use

EMAIL_TAKEN = _("Another account already uses this e-mail address. Sign in to that account, "
                "or reset its password if you have forgotten it.")


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("The username or password is not correct. Both are case-sensitive."),
        "inactive": _("This account is not active yet: open the confirmation link we e-mailed."),
        "deactivated": _("This account is deactivated: it can no longer sign in. If you "
                         "still work with the fund, ask its secretariat to reactivate it."),
    }

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            code = self._inactive_code()
            if code:
                raise ValidationError(self.error_messages[code], code=code) from None
            raise

    def _inactive_code(self) -> str | None:
        """Right password on an inactive account: say why it cannot sign in (its e-mail is
        not confirmed yet, or the secretariat deactivated it). Only someone who knows the
        password learns it; a closed (anonymised) account has no usable password."""
        username, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if not username or not password:
            return None
        user = User.objects.filter(username=username, is_active=False).first()
        if user is None or not user.check_password(password):
            return None
        return "inactive" if not user.email_verified else "deactivated"


class RegistrationForm(forms.Form):
    username = forms.RegexField(label=_("Username"), max_length=150, regex=r"^[\w.@+-]+$",
                                help_text=_("Letters, digits and @ . + - _ only."))
    email = forms.EmailField(label=_("E-mail address"))
    password = forms.CharField(
        label=_("Password"), max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters; not only digits, not a common password."))
    password_confirm = forms.CharField(
        label=_("Password again"), max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)
    org_name = forms.CharField(label=_("Organisation name"), max_length=200,
                               validators=[single_line])
    org_country = LazyTypedChoiceField(label=_("Country of registration"),
                                       choices=country_choices(), widget=SearchableSelect())
    org_registration_number = forms.CharField(label=_("Registration number"), max_length=100)
    org_year_founded = forms.IntegerField(label=_("Year founded"), min_value=1800,
                                          max_value=2100, required=False)
    org_contact_name = forms.CharField(label=_("Contact person"), max_length=200,
                                       required=False, validators=[single_line])
    org_contact_phone = forms.CharField(label=_("Contact phone"), max_length=50, required=False)
    org_website = forms.URLField(label=_("Website"), required=False, max_length=200,
                                 assume_scheme="https")
    org_annual_budget_usd = forms.DecimalField(
        label=_("Annual budget (USD)"), max_digits=14, decimal_places=2, min_value=0,
        required=False)
    org_un_partner_portal_id = forms.CharField(label=_("UN Partner Portal ID"), max_length=50,
                                               required=False)
    org_track_record = forms.CharField(label=_("Track record"), widget=forms.Textarea,
                                       max_length=5000, required=False)
    org_psea_declaration = forms.BooleanField(
        label=_("We have a policy on protection from sexual exploitation and abuse (PSEA) "
                "and apply it to our staff, volunteers and partners."))

    def clean_email(self):
        email = self.cleaned_data["email"]
        if email_in_use(email):
            raise ValidationError(EMAIL_TAKEN, code="email_taken")
        return email

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password_confirm") not in (None, data["password"]):
            self.add_error("password_confirm", _("The two passwords are not the same."))
        return data

    def organisation_values(self) -> dict:
        data = self.cleaned_data
        values = {key[4:]: data[key] for key in data if key.startswith("org_")}
        values["contact_email"] = data["email"]
        return values


class PreferencesForm(forms.ModelForm):
    """Name, language and time zone. The e-mail address changes through ``EmailChangeForm``
    (confirmed at the new address), never here."""

    class Meta:
        model = User
        fields = ["first_name", "last_name", "language", "timezone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name"):  # shown in e-mails' greetings and headers
            self.fields[name].validators.append(single_line)
        zone = self.fields["timezone"]
        zone.choices = formatting.time_zone_choices()  # "France — Paris (UTC+01:00)"
        zone.widget = SearchableSelect(attrs={"data-no-results": _("No time zone of that name.")},
                                       choices=zone.choices)


class EmailChangeForm(forms.Form):
    email = forms.EmailField(label=_("New e-mail address"), max_length=254,
                             help_text=_("We e-mail a confirmation link to this address. Your "
                                         "current address stays until you open it."))


def _new_password_field(label):
    return forms.CharField(label=label, max_length=128, strip=False,
                           widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label=_("Current password"), max_length=128, strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    new_password = _new_password_field(_("New password"))
    new_password_confirm = _new_password_field(_("New password again"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password"].help_text = _(
            "At least 8 characters; not only digits, not a common password.")

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("new_password_confirm") not in (
                None, data["new_password"]):
            self.add_error("new_password_confirm", _("The two passwords are not the same."))
        return data


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class PasswordResetSetForm(forms.Form):
    """The new password chosen from a reset link (the link itself is checked by the view)."""

    new_password1 = _new_password_field(_("New password"))
    new_password2 = _new_password_field(_("New password again"))

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = _(
            "At least 8 characters; not only digits, not a common password.")

    def clean(self):
        data = super().clean()
        if data.get("new_password1") and data.get("new_password2") not in (
                None, data["new_password1"]):
            self.add_error("new_password2", _("The two passwords are not the same."))
        elif data.get("new_password1"):
            try:
                password_validation.validate_password(data["new_password1"], self.user)
            except ValidationError as exc:
                self.add_error("new_password1", exc)
        return data

    def save(self, commit=True):
        from .services import password_reset_set

        password_reset_set(user=self.user, new_password=self.cleaned_data["new_password1"])
        return self.user
