"""Forms of the members pages: invite, change a role, accept an invitation."""

from django import forms
from django.utils.translation import gettext_lazy as _

from fundapp.core.validators import single_line
from grants.models import OrgRole


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=OrgRole.choices, initial=OrgRole.EDITOR,
                             help_text=_("Administrators manage members and sign agreements; "
                                         "editors draft, submit and report; viewers read."))


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=OrgRole.choices)


class AcceptForm(forms.Form):
    """A new person's account; the e-mail address is the invited one."""

    first_name = forms.CharField(label=_("First name"), max_length=150,
                                 validators=[single_line],
                                 widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False,
                                validators=[single_line],
                                widget=forms.TextInput(attrs={"autocomplete": "family-name"}))
    username = forms.CharField(label=_("Username"), max_length=150,
                               widget=forms.TextInput(attrs={"autocomplete": "username"}))
    password = forms.CharField(
        label=_("Password"), strip=False, max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password_again = forms.CharField(
        label=_("Password again"), strip=False, max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return data
