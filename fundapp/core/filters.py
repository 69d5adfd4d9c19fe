"""Query-string filters shared by every API (django-filter)."""

import django_filters
from django import forms

ID_MAX = 2**63 - 1  # largest BigAutoField id; above it the database driver overflows


class IdFilter(django_filters.NumberFilter):
    """A whole-number id within the database's range (a huge one is a 400, not a crash)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(*args, **kwargs)
