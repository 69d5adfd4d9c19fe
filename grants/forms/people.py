"""People forms: the secretariat's list filter, invitations, roles and (de)activation."""

from django import forms
from django.utils.translation import gettext_lazy as _

from fundapp.accounts.roles import Role
from fundapp.core.validators import single_line
from grants.models import BoardRole
from grants.selectors.people import PersonStatus

STAFF_ROLE_CHOICES = [(r.value, r.label) for r in
                      (Role.SECRETARIAT, Role.REVIEWER, Role.BOARD, Role.DONOR)]
STATUS_CHOICES = [
    ("", _("Any status")),
    (PersonStatus.ACTIVE, _("Active")),
    (PersonStatus.DEACTIVATED, _("Deactivated")),
    (PersonStatus.INVITED, _("Invited, not yet joined")),
]


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False,
                        help_text=_("Name, username or e-mail"))
    role = forms.ChoiceField(label=_("Role"), required=False,
                             choices=[("", _("Any role")), *Role.choices])
    organisation = forms.IntegerField(label=_("Organisation"), required=False,
                                      widget=forms.Select)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].widget.choices = [("", _("Any organisation")),
                                                      *organisations]


class StaffInviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    roles = forms.MultipleChoiceField(label=_("Roles"), choices=STAFF_ROLE_CHOICES,
                                      widget=forms.CheckboxSelectMultiple)
    expertise = forms.CharField(
        label=_("Expertise (reviewers)"), required=False, max_length=1500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Themes, regions and kinds of project this reviewer knows."))
    languages = forms.CharField(label=_("Languages (reviewers)"), required=False,
                                max_length=200, validators=[single_line],
                                help_text=_("For example: English, French, Arabic"))
    is_external = forms.BooleanField(label=_("External expert (reviewers)"), required=False,
                                     initial=True)
    term_start = forms.DateField(label=_("Term starts (Board members)"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    term_end = forms.DateField(label=_("Term ends (Board members)"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}))
    board_role = forms.ChoiceField(label=_("Seat (Board members)"), required=False,
                                   choices=BoardRole.choices, initial=BoardRole.MEMBER)
    donor = forms.TypedChoiceField(label=_("Donor record (donor staff)"), required=False,
                                   coerce=int, empty_value=None)

    def __init__(self, *args, donors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["donor"].choices = [("", _("Choose a donor")), *donors]

    def details(self) -> dict:
        data = self.cleaned_data
        details = {name: data.get(name) for name in ("expertise", "languages", "is_external",
                                                      "board_role", "donor")}
        for name in ("term_start", "term_end"):
            details[name] = data[name].isoformat() if data.get(name) else ""
        return details


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(label=_("Roles"), choices=STAFF_ROLE_CHOICES,
                                      required=False, widget=forms.CheckboxSelectMultiple)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))
