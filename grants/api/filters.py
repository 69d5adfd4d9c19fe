"""Query-string filters of the grants API (`?status=`, `?call=`, `?country=`, …)."""

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework.filters import OrderingFilter

from grants.models import (
    Application,
    ApplicationStatus,
    Call,
    CallStatus,
    Organisation,
    OrganisationStatus,
)
from grants.selectors.applications import filter_by_seen_status, search_clause
from grants.selectors.calls import filter_calls_by_status

country_code = RegexValidator(r"^[A-Za-z]{2}$", _("Use a two-letter ISO country code."))


class IdFilter(django_filters.NumberFilter):
    """A whole-number id within the database's range (a huge one is a 400, not a crash)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class CallFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=CallStatus.choices, method="filter_status",
        label=_("Status as people see it: a published call past its deadline is closed."),
    )

    class Meta:
        model = Call
        fields = ["status"]

    def filter_status(self, queryset, name, value):
        return filter_calls_by_status(queryset, value)


class OrganisationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=OrganisationStatus.choices)
    country = django_filters.CharFilter(method="filter_country", validators=[country_code],
                                        label=_("ISO 3166-1 alpha-2 country code"))

    search = django_filters.CharFilter(
        method="filter_search", label=_("Words in the name or registration number"))

    class Meta:
        model = Organisation
        fields = ["status", "country", "search"]

    def filter_country(self, queryset, name, value):
        return queryset.filter(country=value.upper())

    def filter_search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(registration_number__icontains=value))


class ApplicationFilter(django_filters.FilterSet):
    """The same filters as the secretariat's list page (see ``application_list``)."""

    call = IdFilter(field_name="call_id", label=_("Call id"))
    status = django_filters.ChoiceFilter(
        choices=ApplicationStatus.choices, method="filter_status",
        label=_("Status as the reader sees it: an applicant's own applications read as "
                "under_review until the Board's decision."))
    country = django_filters.CharFilter(
        method="filter_country", validators=[country_code],
        label=_("A country of implementation (ISO alpha-2)"))
    priority = django_filters.CharFilter(
        field_name="priority_claims__priority__code", label=_("Code of a call priority"))
    search = django_filters.CharFilter(
        method="filter_search", label=_("Words in the title, reference or organisation name"))

    class Meta:
        model = Application
        fields = ["call", "status", "country", "priority", "search"]

    def filter_status(self, queryset, name, value):
        return filter_by_seen_status(queryset, getattr(self.request, "user", None), value)

    def filter_country(self, queryset, name, value):
        return queryset.filter(countries__contains=value.upper())

    def filter_search(self, queryset, name, value):
        return queryset.filter(search_clause(getattr(self.request, "user", None), value.strip()))


class ApplicationOrdering(OrderingFilter):
    """``?ordering=status`` orders by the status as the reader sees it (``seen_status``)."""

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        if not ordering:
            return ordering
        return [term.replace("status", "seen_status") if term.lstrip("-") == "status" else term
                for term in ordering]
