"""Pieces every grants API module shares: permissions by action, documented error
responses, and the fields for money, countries and ids.

The house rule of ``grants/api/``: one module per sub-domain (calls, organisations,
applications, screening, reviews, ranking, board, awards, implementation) holding that
sub-domain's serializers, query-string filters and view sets, in that order; only what
several sub-domains use lives here.
"""

import re

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated

from fundapp.core.filters import ID_MAX

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,40}")
SMALLINT_MAX = 32767
INT_MAX = 2147483647

NOT_FOUND = OpenApiResponse(description=_("Not found, or not visible to you."))
CONFLICT = OpenApiResponse(description=_("Not allowed in the object's current state."))


class PermissionsByAction:
    """``permissions`` maps an action name to its permission classes; ``"*"`` is the rest."""

    permissions: dict[str, tuple] = {"*": (IsAuthenticated,)}

    def get_permissions(self):
        classes = self.permissions.get(self.action, self.permissions["*"])
        return [cls() for cls in classes]


class MoneyField(serializers.DecimalField):
    """USD amounts: at most two decimals, rendered as a string with two places."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=14, decimal_places=2, **kwargs)


@extend_schema_field({"type": "string", "pattern": "^[A-Z]{2}$", "example": "NG"})
class CountryCodeField(serializers.CharField):
    """An ISO 3166-1 alpha-2 code, in any case on input, upper case on output."""

    default_error_messages = {"unknown": _("Unknown country code: {code}.")}

    def to_internal_value(self, data):
        code = super().to_internal_value(data).strip().upper()
        if code not in countries:
            self.fail("unknown", code=code[:12])
        return code

    def to_representation(self, value):
        return getattr(value, "code", value) or ""


def country_list(**kwargs) -> serializers.ListField:
    return serializers.ListField(child=CountryCodeField(), max_length=250, **kwargs)


def id_field(**kwargs) -> serializers.IntegerField:
    """An object id sent by a client: a huge one is a 400, not a crash in the query."""
    return serializers.IntegerField(min_value=1, max_value=ID_MAX, **kwargs)


# Query-string filters -----------------------------------------------------------------------


country_code = RegexValidator(r"^[A-Za-z]{2}$", _("Use a two-letter ISO country code."))


