"""The form of closing one's account (the password, entered again)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class AccountCloseForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"), strip=False, max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Enter your password again to confirm that it is you."))
