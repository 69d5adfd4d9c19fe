from django import forms
from django.utils.translation import gettext_lazy as _

from .kinds import optional_kinds
from .models import EmailMode, NotificationPreference


class PreferencesForm(forms.Form):
    email_mode = forms.ChoiceField(
        label=_("E-mail"), choices=EmailMode.choices, widget=forms.RadioSelect,
        help_text=_("Essential notices (receipts, decisions, verification) are always "
                    "e-mailed at once."))
    wanted = forms.MultipleChoiceField(
        label=_("Notify me about"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Untick what you do not want to receive by e-mail. It still appears "
                    "in your notification centre."))

    def __init__(self, *args, preference: NotificationPreference, **kwargs):
        choices = [(name, k.label) for name, k in optional_kinds()]
        initial = {"email_mode": preference.email_mode,
                   "wanted": [name for name, _k in choices
                              if name not in preference.muted_kinds]}
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["wanted"].choices = choices

    def muted_kinds(self) -> list[str]:
        wanted = set(self.cleaned_data["wanted"])
        return [name for name, _label in self.fields["wanted"].choices if name not in wanted]


