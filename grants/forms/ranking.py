"""Ranking forms: the call's ranking settings and finalising the portfolio recommendation."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy


class RankingSettingsForm(forms.Form):
    review_weight = forms.DecimalField(
        label=gettext_lazy("Weight of the review score (0–1)"), min_value=Decimal(0),
        max_value=Decimal(1), max_digits=3, decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.05"}),
        help_text=gettext_lazy("0.70: the combined score is 70 % review score and 30 % "
                               "priority score."))
    normalise_reviews = forms.BooleanField(
        label=gettext_lazy("Normalise scores per reviewer (lenient and harsh reviewers count "
                           "alike)"), required=False)
    max_projects_per_country = forms.IntegerField(
        label=gettext_lazy("At most N projects per country"), min_value=1, required=False,
        help_text=gettext_lazy("Empty: no cap."))
    min_women_girls_share = forms.DecimalField(
        label=gettext_lazy("Minimum share of the envelope for women-and-girls projects (%)"),
        min_value=Decimal(0), max_value=Decimal(100), max_digits=5, decimal_places=2,
        required=False, help_text=gettext_lazy("Empty: no minimum."))
    min_countries = forms.IntegerField(
        label=gettext_lazy("Minimum number of distinct countries"), min_value=0,
        required=False, help_text=gettext_lazy("Empty: no minimum."))


class FinaliseForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note for the board"), max_length=4000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Required when a version is already final: say what changed "
                               "and why."))
