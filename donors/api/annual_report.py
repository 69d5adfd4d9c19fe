"""The donors' annual report as a PDF: the twin of ``donors.views.reports.annual_report``
(donors, the secretariat and the Board), in the reader's language."""

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.views import APIView

from donors.pdf import annual_report_pdf
from donors.reporting import report
from fundapp.core.api import capability
from fundapp.core.errors import NotFound
from fundapp.core.pdf_api import PDF_RENDERERS, PDF_RESPONSE, pdf_file

FIRST_YEAR, LAST_YEAR = 2010, 2100  # as the page's


class AnnualReportView(APIView):
    permission_classes = [capability("report.view_internal")]
    renderer_classes = PDF_RENDERERS

    @extend_schema(
        summary=_("The annual report to donors for a year (PDF)"),
        description=_("Donors, the secretariat and the Board: the year's contributions, "
                      "grants and results, with the history up to that year."),
        responses={(200, "application/pdf"): PDF_RESPONSE, 404: OpenApiResponse(
            description=_("The year is not from 2010 to 2100."))},
        operation_id="reports_annual_report")
    def get(self, request, year: int):
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise NotFound(_("No annual report for that year."))
        context = report(year, internal=True, history_to_year=True)
        language = getattr(request.user, "language", "") or get_language() or "en"
        return pdf_file(annual_report_pdf(context, language), f"vtf-donor-report-{year}.pdf")
