"""Review forms: the rubric's criteria, assignment (automatic and by hand), a reviewer's profile,
the conflict declaration and the scoring form."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries.fields import LazyTypedMultipleChoiceField

from fundapp.core.widgets import SearchableSelectMultiple, country_choices
from grants.models import Organisation
from grants.models.reviews import SCORE_MAX, SCORE_MIN
from grants.services.reviews import MIN_REVIEWERS

from .common import RemovableFormSet


class CriterionForm(forms.Form):
    code = forms.SlugField(label=gettext_lazy("Code"), max_length=40)
    name_en = forms.CharField(label=gettext_lazy("Name (English)"), max_length=200)
    name_fr = forms.CharField(label=gettext_lazy("Name (French)"), max_length=200,
                              required=False)
    weight = forms.DecimalField(label=gettext_lazy("Weight"), max_digits=5, decimal_places=2,
                                min_value=Decimal("0.01"), initial=Decimal("1"),
                                widget=forms.NumberInput(attrs={"step": "0.01"}))


CriterionFormSet = forms.formset_factory(CriterionForm, formset=RemovableFormSet, extra=1,
                                         can_delete=True, max_num=30, validate_max=True)


class AutoAssignForm(forms.Form):
    per_application = forms.IntegerField(label=gettext_lazy("Reviewers per application"),
                                         min_value=1, max_value=10, initial=MIN_REVIEWERS)


class AssignForm(forms.Form):
    reviewers = forms.MultipleChoiceField(label=gettext_lazy("Reviewers to assign"),
                                          widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].choices = [(str(u.pk), u.display_name) for u in candidates]


class ProfileForm(forms.Form):
    is_external = forms.BooleanField(
        label=gettext_lazy("External expert (does not see the applicant in blind reviews)"),
        required=False)
    expertise = forms.CharField(label=gettext_lazy("Expertise"), max_length=2000,
                                required=False, widget=forms.Textarea(attrs={"rows": 3}))
    conflict_countries = LazyTypedMultipleChoiceField(
        label=gettext_lazy("Countries of conflict"), choices=country_choices(), required=False,
        widget=SearchableSelectMultiple(),
        help_text=gettext_lazy("Never assigned organisations from these countries."))
    conflict_organisations = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Organisations of conflict"), required=False,
        queryset=Organisation.objects.order_by("name"),
        widget=forms.SelectMultiple(attrs={"size": 8}))


class DeclareForm(forms.Form):
    conflict = forms.TypedChoiceField(
        label=gettext_lazy("Do you have a conflict of interest with this application?"),
        widget=forms.RadioSelect, coerce=lambda v: v == "yes",
        choices=[("no", gettext_lazy("No, I have no conflict of interest")),
                 ("yes", gettext_lazy("Yes, I have a conflict of interest"))])
    note = forms.CharField(label=gettext_lazy("Note (optional)"), max_length=3000,
                           required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=gettext_lazy("E.g. the nature of the conflict; the "
                                                  "secretariat reads it."))


SCORE_CHOICES = [(str(n), str(n)) for n in range(SCORE_MIN, SCORE_MAX + 1)]


class ScoreForm(forms.Form):
    """One 1–5 radio group and one comment per criterion, and an overall comment."""

    comment = forms.CharField(label=gettext_lazy("Overall comment"), max_length=10000,
                              required=False, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, criteria=(), review=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        saved = {s.criterion.code: s for s in review.scores.all()} if review else {}
        for c in self.criteria:
            self.fields[f"score-{c.code}"] = forms.TypedChoiceField(
                label=_("Score"), choices=SCORE_CHOICES, coerce=int, required=False,
                empty_value=None, widget=forms.RadioSelect)
            self.fields[f"comment-{c.code}"] = forms.CharField(
                label=_("Comment"), max_length=5000, required=False,
                widget=forms.Textarea(attrs={"rows": 2}))
            if c.code in saved and not self.is_bound:
                self.initial[f"score-{c.code}"] = saved[c.code].score
                self.initial[f"comment-{c.code}"] = saved[c.code].comment
        if review is not None and not self.is_bound:
            self.initial["comment"] = review.comment

    def rows(self):
        return [(c, self[f"score-{c.code}"], self[f"comment-{c.code}"]) for c in self.criteria]

    def values(self) -> dict:
        data = self.cleaned_data
        return {"scores": {c.code: data.get(f"score-{c.code}") for c in self.criteria},
                "comments": {c.code: data.get(f"comment-{c.code}", "") for c in self.criteria},
                "comment": data.get("comment", "")}
