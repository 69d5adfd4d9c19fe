from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"), max_length=32, strip=True,
        help_text=_("The 6-digit code your authenticator app shows now, or one of your "
                    "recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True,
                                      "spellcheck": "false", "autocapitalize": "off"}))


class TotpConfirmForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the app"), max_length=12, strip=True,
        help_text=_("The 6-digit code the app shows after adding the key."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "spellcheck": "false"}))


class PasskeyNameForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the passkey"), max_length=64, strip=True,
        help_text=_("So you can tell your passkeys apart, e.g. \"Work laptop\"."))
