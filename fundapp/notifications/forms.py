from django import forms
from django.utils.translation import gettext_lazy as _

from .kinds import KINDS, optional_kinds
from .models import DeliveryState, EmailMode, NotificationPreference


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


class MonitorFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("All")), *DeliveryState.choices,
                                        ("retrying", _("Pending, retrying after an error"))]
        self.fields["kind"].choices = [("", _("All")), *sorted(
            ((name, f"{k.label} ({name})") for name, k in KINDS.items()),
            key=lambda choice: choice[0])]

    def filters(self) -> dict:
        if not self.is_valid():
            return {"state": None, "kind": None}
        return {"state": self.cleaned_data["state"] or None,
                "kind": self.cleaned_data["kind"] or None}
