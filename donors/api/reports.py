"""The public reports: the fund summary (JSON) and the grants as IATI activities (XML)."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from lxml import etree
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from donors.iati import activities_xml
from donors.selectors.reports import fund_summary

COUNT = serializers.IntegerField
MONEY = serializers.CharField


class YearQuery(serializers.Serializer):
    year = serializers.IntegerField(min_value=2010, max_value=2100, required=False)


@extend_schema(
    summary=_("The fund's figures for a year (public)"),
    description=_(
        "Money as strings with two decimals (USD). Every figure is for that year alone: "
        "`received_usd` and `by_donor_type` the contributions received in it, "
        "`disbursed_usd` the payments to NGOs made in it less the unspent balances refunded "
        "in it, `refunded_usd` those refunds, `paid_usd` the payments to NGOs made in it "
        "before any refund (`paid_usd` − `refunded_usd` = `disbursed_usd`), `projects` "
        "and `countries` the projects running during it, "
        "`victims_assisted` the victims in the NGOs' reports accepted in it. The "
        "`cumulative_…` figures run from the fund's creation to the end of the year. The "
        "disbursements in `/api/v1/reports/iati/` add up to the same amounts."),
    parameters=[OpenApiParameter("year", int, description=_("Default: the current year"))],
    responses={200: inline_serializer("FundSummary", {
        "year": COUNT(), "currency": serializers.CharField(), "target_usd": MONEY(),
        "received_usd": MONEY(), "percent_of_target": serializers.CharField(),
        "by_donor_type": serializers.DictField(child=MONEY()),
        "donor_counts": serializers.DictField(child=COUNT()),
        "outstanding_pledges_usd": MONEY(), "forecast_usd": MONEY(),
        "disbursed_usd": MONEY(), "refunded_usd": MONEY(), "paid_usd": MONEY(),
        "projects": COUNT(), "countries": COUNT(),
        "victims_assisted": COUNT(),
        "cumulative_received_usd": MONEY(),
        "cumulative_donor_counts": serializers.DictField(child=COUNT()),
        "cumulative_disbursed_usd": MONEY(), "cumulative_refunded_usd": MONEY(),
        "cumulative_paid_usd": MONEY(),
        "cumulative_projects": COUNT(),
        "cumulative_countries": COUNT(), "cumulative_victims_assisted": COUNT()}),
        400: OpenApiResponse(description=_("The year is not a number from 2010 to 2100."))})
class FundSummaryView(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        query = YearQuery(data=request.query_params)
        if not query.is_valid():
            raise ValidationError(query.errors)
        year = query.validated_data.get("year") or timezone.localdate().year
        return Response(fund_summary(year))


class XmlRenderer(BaseRenderer):
    """Passes an XML document through; an error's data becomes ``<errors>`` elements."""

    media_type = "application/xml"
    format = "xml"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None or isinstance(data, bytes):
            return data or b""
        root = etree.Element("errors")
        items = data.items() if isinstance(data, dict) else [("detail", data)]
        for name, value in items:
            etree.SubElement(root, "error", field=str(name)).text = str(value)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


class TextXmlRenderer(XmlRenderer):
    media_type = "text/xml"


@extend_schema(
    summary=_("Grants as IATI 2.03 activities (public XML)"),
    description=_(
        "One activity per grant: the approved amount as a commitment (transaction type 2), "
        "each payment as a disbursement (type 3) and each refund of an unspent balance as a "
        "negative disbursement, with the recipient countries, the DAC sectors of the "
        "services, the fund and the NGO as participating organisations, the grant's dates "
        "and the victims assisted from the accepted reports. Answers `Accept: "
        "application/xml` and `?format=xml`. 204 while there is no grant to publish: IATI "
        "requires at least one activity in a file."),
    parameters=[OpenApiParameter("format", str, enum=["xml"], required=False)],
    responses={(200, "application/xml"): OpenApiTypes.STR,
               204: OpenApiResponse(description=_("No grant to publish yet.")),
               406: OpenApiResponse(description=_("The client accepts no XML."))})
class IatiView(APIView):
    permission_classes = [AllowAny]
    renderer_classes = [XmlRenderer, TextXmlRenderer]

    def get(self, request):
        document = activities_xml()
        if document is None:
            return HttpResponse(status=status.HTTP_204_NO_CONTENT)
        media = getattr(request, "accepted_media_type", XmlRenderer.media_type)
        return HttpResponse(document, content_type=f"{media}; charset=utf-8")
