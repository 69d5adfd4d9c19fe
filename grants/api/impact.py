"""Grants API: the impact dashboard's figures (``grants.views.implementation.impact_dashboard``
and its public twin ``impact_public``), from the one impact selector.

The public page shows the same figures as the dashboard, so this is public too. Neither page
has filters: every figure is since the fund's creation, and ``per_year`` gives each year
alone.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from grants.models import Service, VictimGroup
from grants.selectors.impact import impact

from .common import MoneyField


class ImpactYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    projects = serializers.IntegerField(help_text=_("Projects active in the year."))
    countries = serializers.IntegerField()
    disbursed_usd = MoneyField(help_text=_("Paid in the year, less refunds received in it."))
    victims_assisted = serializers.IntegerField()
    mark_reached = serializers.BooleanField()


class ImpactCountrySerializer(serializers.Serializer):
    country = serializers.CharField(help_text=_("ISO 3166-1 alpha-2; \"—\" when a project "
                                                "names none."))
    victims_assisted = serializers.IntegerField()


class ImpactSerializer(serializers.Serializer):
    first_year = serializers.IntegerField(allow_null=True, help_text=_(
        "The year of the first project, payment or report; null before any."))
    mark = serializers.IntegerField(help_text=_("The yearly mark of victims assisted."))
    projects = serializers.IntegerField(help_text=_("NGO projects funded since creation."))
    countries = serializers.IntegerField()
    disbursed_usd = MoneyField()
    victims_assisted = serializers.IntegerField(help_text=_("From the accepted reports."))
    active_projects = serializers.IntegerField(help_text=_("Projects running today."))
    active_countries = serializers.IntegerField()
    per_year = ImpactYearSerializer(many=True, help_text=_("Newest first; each year alone."))
    by_group = serializers.DictField(child=serializers.IntegerField(), help_text=_(
        "Victims by sex and age: women, girls, men, boys."))
    by_service = serializers.DictField(child=serializers.IntegerField(), help_text=_(
        "Victims by service type."))
    by_country = ImpactCountrySerializer(many=True, help_text=_("Most victims first."))


def impact_data() -> dict:
    figures = impact()
    return {
        "first_year": figures.first_year, "mark": figures.mark,
        "projects": figures.projects, "countries": figures.countries,
        "disbursed_usd": figures.disbursed_usd, "victims_assisted": figures.victims_assisted,
        "active_projects": figures.active_projects,
        "active_countries": figures.active_countries,
        "per_year": [{"year": year, "projects": f.projects, "countries": f.countries,
                      "disbursed_usd": f.disbursed_usd, "victims_assisted": f.victims_assisted,
                      "mark_reached": f.victims_assisted >= figures.mark}
                     for year, f in figures.per_year],
        "by_group": {key: figures.by_group.get(key, 0) for key in VictimGroup.values},
        "by_service": {key: figures.by_service.get(key, 0) for key in Service.values},
        "by_country": [{"country": code, "victims_assisted": n}
                       for code, n in figures.by_country.items()],
    }


class ImpactView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(summary=_("The fund's impact (public)"),
                   description=_("The impact page's figures: projects, countries, money "
                                 "disbursed and victims assisted since the fund's creation, "
                                 "each year alone, and the victims by sex and age, service "
                                 "and country. Money in USD as strings with two decimals."),
                   responses=ImpactSerializer, operation_id="reports_impact")
    def get(self, request):
        return Response(ImpactSerializer(impact_data()).data)
