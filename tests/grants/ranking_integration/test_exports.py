"""The files open: CSV parses, XLSX loads, the PDF has a cover and one page per
recommended application."""

import csv
import io
import re
import zlib

import pytest
from openpyxl import load_workbook

from grants import exports
from grants.selectors.ranking import (
    call_portfolio,
    call_ranking,
    portfolio_data,
    portfolio_view_data,
    ranking_data,
)
from grants.services.ranking import portfolio_finalise

pytestmark = pytest.mark.django_db


def pdf_pages(pdf: bytes) -> int:
    """Page objects in a PDF, looking inside compressed object streams too."""
    text = pdf
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            text += zlib.decompress(match.group(1))
        except zlib.error:
            continue
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", text))


def _csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_ranking_csv_has_a_row_per_application_in_rank_order(small):
    call, apps = small
    rows = _csv(exports.ranking_csv(ranking_data(call_ranking(call))))
    header = rows[0]
    assert header[:6] == ["Rank", "Reference", "Title", "Organisation", "Countries",
                          "Combined score"]
    assert "Criterion: Relevance (mean)" in header and "Priority: Women and girls" in header
    assert [r[1] for r in rows[1:]] == [apps[k].reference for k in "CABDE"]
    c = dict(zip(header, rows[1], strict=True))
    assert (c["Combined score"], c["Review score (normalised)"], c["Cumulative (USD)"],
            c["Above the funding line"], c["Priority: Women and girls"]) == (
        "83.32", "90.45", "50000.00", "yes", "confirmed")


def test_countries_are_named_in_the_readers_language(small):
    from django.utils import translation

    call, apps = small
    type(apps["C"]).objects.filter(pk=apps["C"].pk).update(countries=["NG", "DE"])
    rows = _csv(exports.ranking_csv(ranking_data(call_ranking(call))))
    assert rows[1][4] == "Germany, Nigeria"
    with translation.override("fr"):
        rows = _csv(exports.portfolio_csv(portfolio_data(call_portfolio(call))))
    by_ref = {r[1]: r for r in rows[1:]}
    assert by_ref[apps["C"].reference][4] == "Allemagne, Nigeria"


def test_formula_like_text_is_quoted(small):
    call, apps = small
    type(apps["C"]).objects.filter(pk=apps["C"].pk).update(title="=HYPERLINK(\"x\")")
    rows = _csv(exports.ranking_csv(ranking_data(call_ranking(call))))
    assert rows[1][2] == "'=HYPERLINK(\"x\")"


def test_the_portfolio_csv_gives_each_reason(small):
    call, apps = small
    rows = _csv(exports.portfolio_csv(portfolio_data(call_portfolio(call))))
    by_ref = {r[1]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert by_ref[apps["B"].reference]["Recommended"] == "yes"
    assert by_ref[apps["A"].reference]["Reserve position"] == "1"
    assert by_ref[apps["A"].reference]["Reason code"] == "excluded_budget"
    assert by_ref[apps["E"].reference]["Reason"] == "Not ranked: no submitted review yet."


def test_the_workbooks_load(small):
    call, apps = small
    book = load_workbook(io.BytesIO(exports.ranking_xlsx(ranking_data(call_ranking(call)))))
    sheet = book.active
    assert sheet.cell(2, 2).value == apps["C"].reference
    assert float(sheet.cell(2, 6).value) == 83.32
    book = load_workbook(io.BytesIO(exports.portfolio_xlsx(portfolio_data(call_portfolio(call)))))
    assert book.sheetnames == ["Summary", "Recommended", "Reserve list", "All applications"]
    summary = {r[0]: r[1] for r in book["Summary"].iter_rows(values_only=True)}
    assert float(summary["Score gained over the rank cut"]) == 25.05
    assert book["Recommended"].max_row == 4


def test_the_briefing_pack_has_a_cover_and_a_page_per_recommended_application(small):
    call, apps = small
    pdf = exports.briefing_pack_pdf(portfolio_data(call_portfolio(call)), call=call)
    assert pdf.startswith(b"%PDF")
    assert pdf_pages(pdf) == 1 + 3


def test_the_briefing_pack_of_a_finalised_version(small, secretariat):
    call, apps = small
    portfolio_finalise(actor=secretariat, call=call)
    call.max_projects_per_country = 1
    call.save()
    pdf = exports.briefing_pack_pdf(portfolio_view_data(call, 1), call=call)
    assert pdf_pages(pdf) == 1 + 3
    live = exports.briefing_pack_pdf(portfolio_view_data(call), call=call)
    assert pdf_pages(live) == 1 + 2


def test_the_briefing_pack_names_criteria_and_priorities_in_the_readers_language(small):
    from django.utils import translation

    from grants.models import ReviewCriterion

    call, _apps = small
    data = portfolio_data(call_portfolio(call))
    item = data["selected"][0]
    first = item["breakdown"]["criteria"][0]["code"]
    ReviewCriterion.objects.filter(call=call, code=first).update(name_fr="Pertinence")
    with translation.override("fr"):
        named = exports._named(item, exports._rubric_names(call))
        french = {c.code: c.name for c in ReviewCriterion.objects.filter(call=call)}
    assert [c["name"] for c in named["breakdown"]["criteria"]] == [
        french[c["code"]] for c in item["breakdown"]["criteria"]]
    assert named["breakdown"]["criteria"][0]["name"] == "Pertinence"
    assert named["breakdown"]["priorities"] and item["breakdown"] is not named["breakdown"]
