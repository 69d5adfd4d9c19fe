"""Query-string filters of the donor API (`?year=`, `?donor=`, `?currency=`, …)."""

from datetime import date

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from donors.selectors.search import contributions_matching, donors_matching
from donors.models import (
    Contribution,
    Donor,
    DonorType,
    Earmarking,
    ExchangeRate,
    Pledge,
    PledgeStatus,
)
from fundapp.core.filters import IdFilter


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=2000, max_value=2100, **kwargs)


class CurrencyFilter(django_filters.CharFilter):
    def filter(self, qs, value):
        return super().filter(qs, value.strip().upper() if value else value)


class DonorFilter(django_filters.FilterSet):
    donor_type = django_filters.ChoiceFilter(choices=DonorType.choices)
    country = django_filters.CharFilter(method="filter_country",
                                        label=_("ISO 3166-1 alpha-2 country code"))
    search = django_filters.CharFilter(
        method="filter_search", max_length=100,
        label=_("Words of the name or contact person (every word must match)"))

    class Meta:
        model = Donor
        fields = ["donor_type", "country", "anonymous", "search"]

    def filter_country(self, queryset, name, value):
        return queryset.filter(country=value.strip().upper()[:2])

    def filter_search(self, queryset, name, value):
        return donors_matching(queryset, value) if value.strip() else queryset


class PledgeFilter(django_filters.FilterSet):
    year = YearFilter(method="filter_year", label=_("A year the pledge covers"))
    donor = IdFilter(field_name="donor_id", label=_("Donor id"))
    currency = CurrencyFilter(field_name="currency", label=_("ISO 4217 code"))
    status = django_filters.ChoiceFilter(choices=PledgeStatus.choices)

    class Meta:
        model = Pledge
        fields = ["year", "donor", "currency", "status"]

    def filter_year(self, queryset, name, value):
        return queryset.filter(year_from__lte=value, year_to__gte=value)


class ContributionFilter(django_filters.FilterSet):
    year = YearFilter(method="filter_year", label=_("Year received"))
    donor = IdFilter(field_name="donor_id", label=_("Donor id"))
    currency = CurrencyFilter(field_name="currency", label=_("ISO 4217 code"))
    donor_type = django_filters.ChoiceFilter(field_name="donor__donor_type",
                                             choices=DonorType.choices)
    earmarking = django_filters.ChoiceFilter(choices=Earmarking.choices)
    pledge = IdFilter(field_name="pledge_id", label=_("Pledge id"))
    search = django_filters.CharFilter(
        method="filter_search", max_length=100,
        label=_("A bank reference or receipt number (exact, beginning or part), or words of "
                "the donor's name"))

    class Meta:
        model = Contribution
        fields = ["year", "donor", "currency", "donor_type", "earmarking", "pledge", "search"]

    def filter_year(self, queryset, name, value):
        return queryset.filter(received_on__range=(date(value, 1, 1), date(value, 12, 31)))

    def filter_search(self, queryset, name, value):
        return contributions_matching(queryset, value) if value.strip() else queryset


class ExchangeRateFilter(django_filters.FilterSet):
    currency = CurrencyFilter(field_name="currency", label=_("ISO 4217 code"))

    class Meta:
        model = ExchangeRate
        fields = ["currency"]
