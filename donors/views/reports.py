"""Fund-wide reports for donors, the secretariat and the Board, and the PDF annual report."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from donors.pdf import annual_report_pdf
from donors.reporting import report
from fundapp.core.decorators import capability_required

from .common import pdf_response, year_param


@capability_required("report.view_internal")
@require_GET
def reports_page(request):
    return render(request, "donors/reports.html", report(year_param(request), internal=True))


@capability_required("report.view_internal")
@require_GET
def annual_report(request, year: int):
    if not 2010 <= year <= 2100:
        raise Http404
    context = report(year, internal=True, history_to_year=True)
    content = annual_report_pdf(context, get_language() or "en")
    return pdf_response(content, f"vtf-donor-report-{year}.pdf")
