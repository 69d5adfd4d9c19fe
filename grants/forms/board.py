"""Board forms: the ballot sheet's rows, votes, the chair's amount, closing a session,
membership and sessions, a grant's tranches and its cancellation."""

from django import forms
from django.utils.translation import gettext_lazy

from fundapp.accounts.models import User
from fundapp.accounts.roles import Role
from fundapp.accounts.selectors import users_with_role
from grants.models import (
    BoardRole,
    Call,
    CallStatus,
    SessionKind,
    TrancheCondition,
    VoteChoice,
)

LOCAL_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VoteForm(forms.Form):
    vote = forms.ChoiceField(label=gettext_lazy("Your vote"), choices=VoteChoice.choices,
                             widget=forms.RadioSelect)
    amount_usd = forms.DecimalField(
        label=gettext_lazy("Amount (USD), if lower than requested"), required=False,
        max_digits=14, decimal_places=2, widget=forms.NumberInput(attrs={"step": "0.01"}))
    conditions = forms.CharField(label=gettext_lazy("Conditions (with an approval)"),
                                 required=False, max_length=4000,
                                 widget=forms.Textarea(attrs={"rows": 2}))
    feedback = forms.CharField(label=gettext_lazy("Feedback to the applicant (required to "
                                                  "decline)"),
                               required=False, max_length=4000,
                               widget=forms.Textarea(attrs={"rows": 2}))


SPACES = str.maketrans("", "", " \u00a0\u202f\u2009_")


class BallotRowForm(forms.Form):
    """One row of the ballot sheet (prefix ``item-<id>``). Fields stay text so the row is
    kept as typed: the service (``board_ballot_submit``) checks it as a single vote."""

    vote = forms.ChoiceField(label=gettext_lazy("Your vote"), choices=VoteChoice.choices,
                             widget=forms.RadioSelect, required=False)
    amount_usd = forms.CharField(
        label=gettext_lazy("Amount (USD), if lower than requested"), required=False,
        max_length=32, widget=forms.TextInput(attrs={"inputmode": "decimal",
                                                     "autocomplete": "off"}))
    conditions = forms.CharField(label=gettext_lazy("Conditions (with an approval)"),
                                 required=False, max_length=4000,
                                 widget=forms.Textarea(attrs={"rows": 2}))
    feedback = forms.CharField(label=gettext_lazy("Feedback to the applicant (required to "
                                                  "decline)"),
                               required=False, max_length=4000,
                               widget=forms.Textarea(attrs={"rows": 2}))

    def clean_amount_usd(self) -> str:
        """``41 000,50`` or ``41,000.50`` → ``41000.50`` (the service checks the figure)."""
        value = (self.cleaned_data.get("amount_usd") or "").translate(SPACES)
        if "," in value and "." not in value and value.count(",") == 1 \
                and len(value.split(",")[1]) <= 2:
            value = value.replace(",", ".")
        return value.replace(",", "")

    def values(self) -> dict:
        """The row as typed (after ``is_valid``), for the draft and the ballot."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return {name: str(data.get(name) or "") for name in self.fields}


class ChairAmountForm(forms.Form):
    amount_usd = forms.DecimalField(label=gettext_lazy("Approved amount (USD)"), required=False,
                                    max_digits=14, decimal_places=2,
                                    widget=forms.NumberInput(attrs={"step": "0.01"}),
                                    help_text=gettext_lazy("Empty: the lowest approving vote."))
    reason = forms.CharField(label=gettext_lazy("Reason"), required=False, max_length=4000)


class CloseForm(forms.Form):
    override_reason = forms.CharField(
        label=gettext_lazy("Reason for overriding the budget guard"), required=False,
        max_length=4000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Only when the approvals exceed the call's envelope or the "
                               "fund's balance."))


class MembershipForm(forms.Form):
    user = forms.ModelChoiceField(label=gettext_lazy("Board member"), queryset=User.objects.none())
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=BoardRole.choices,
                             initial=BoardRole.MEMBER)
    term_start = forms.DateField(label=gettext_lazy("Term starts"), widget=DATE)
    term_end = forms.DateField(label=gettext_lazy("Term ends"), required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users_with_role(Role.BOARD).order_by("username")


class TermEndForm(forms.Form):
    term_end = forms.DateField(label=gettext_lazy("Term ends"), widget=DATE)


class SessionForm(forms.Form):
    call = forms.ModelChoiceField(label=gettext_lazy("Call"), queryset=Call.objects.none())
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=SessionKind.choices,
                             widget=forms.RadioSelect, initial=SessionKind.MEETING)
    meeting_date = forms.DateField(label=gettext_lazy("Meeting date"), required=False,
                                   widget=DATE)
    opens_at = forms.DateTimeField(label=gettext_lazy("Voting opens"), required=False,
                                   widget=LOCAL_DATETIME)
    closes_at = forms.DateTimeField(label=gettext_lazy("Voting closes"), required=False,
                                    widget=LOCAL_DATETIME)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = Call.objects.exclude(status=CallStatus.DRAFT).filter(
            recommendations__is_current=True).order_by("-number")


class ReserveOfferForm(forms.Form):
    call = forms.ModelChoiceField(label=gettext_lazy("Call"), queryset=Call.objects.none())
    closes_at = forms.DateTimeField(label=gettext_lazy("Voting closes"), widget=LOCAL_DATETIME)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = Call.objects.filter(grants__isnull=False).distinct() \
            .order_by("-number")


class TrancheForm(forms.Form):
    percent = forms.DecimalField(label=gettext_lazy("Share (%)"), max_digits=5,
                                 decimal_places=2, min_value=0)
    condition = forms.ChoiceField(label=gettext_lazy("Released"),
                                  choices=TrancheCondition.choices)
    report_number = forms.IntegerField(label=gettext_lazy("Report no."), required=False,
                                       min_value=1, max_value=50)


TrancheFormSet = forms.formset_factory(TrancheForm, extra=1, can_delete=True, max_num=10,
                                       validate_max=True)


class CancelForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason for the cancellation"), max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 2}))
