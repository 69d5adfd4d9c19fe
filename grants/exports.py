"""Files of the ranking and the portfolio: CSV, XLSX and the board's PDF briefing pack.

Every function takes the plain data of ``grants.selectors.ranking`` (``ranking_data``,
``portfolio_data`` or ``recommendation_data``), so a file shows exactly what the page and
the API show. Text cells that a spreadsheet would run as a formula are quoted.
"""

import io
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from django.db.models import Count, DecimalField, F, OuterRef, Subquery, Sum
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import gettext_lazy

from fundapp.accounts.display import person_name
from fundapp.accounts.roles import user_can
from fundapp.core import exports
from fundapp.core.exports import BOOL, DATE, DATETIME, MONEY, NUMBER, TEXT, Column
from fundapp.core.formatting import country_name
from fundapp.core.pdf import PDF_TYPE, render_pdf
from fundapp.core.spreadsheet import safe_cell
from grants.models import (
    Application,
    ApplicationStatus,
    BudgetCategory,
    BudgetLine,
    Review,
    ReviewCriterion,
    ReviewScore,
    ReviewStatus,
)
from grants.selectors.reviews import hides_identity, weighted_score
from grants.selectors.ranking import portfolio_view_data, recommendation_versions, violation_text

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _yes(value: bool) -> str:
    return _("yes") if value else _("no")


def _number(value: str | None):
    return Decimal(value) if value not in (None, "") else None


# --- rows ------------------------------------------------------------------------------


def ranking_header(data: dict) -> list[str]:
    return ([_("Rank"), _("Reference"), _("Title"), _("Organisation"), _("Countries"),
             _("Combined score"), _("Review score (raw)"), _("Review score (normalised)"),
             _("Priority score"), _("Requested (USD)"), _("Cumulative (USD)"),
             _("Above the funding line"), _("Women and girls"), _("Reviews")]
            + [_("Criterion: %(name)s (mean)") % {"name": c["name"]} for c in data["criteria"]]
            + [_("Priority: %(name)s") % {"name": p["name"]} for p in data["priorities"]])


def _priority_cell(row: dict, code: str) -> str:
    entry = next((p for p in row["breakdown"]["priorities"] if p["code"] == code), None)
    if entry is None or not entry["claimed"]:
        return _("not claimed")
    return _("confirmed") if entry["confirmed"] else _("claimed, not confirmed")


def ranking_row(row: dict, data: dict) -> list:
    b = row["breakdown"]
    means = {c["code"]: c["mean"] for c in b["criteria"]}
    return ([row["rank"], row["reference"], row["title"], row["organisation"],
             _countries(row["countries"]), _number(row["total_score"]),
             _number(b["raw_review_score"]), _number(b["normalised_review_score"]),
             _number(b["priority_score"]), _number(row["requested_usd"]),
             _number(row["cumulative_usd"]), _yes(row["above_funding_line"]),
             _yes(row["women_and_girls"]), len(b["reviews"])]
            + [_number(means.get(c["code"])) for c in data["criteria"]]
            + [_priority_cell(row, p["code"]) for p in data["priorities"]])


def portfolio_header() -> list[str]:
    return [_("Rank"), _("Reference"), _("Title"), _("Organisation"), _("Countries"),
            _("Combined score"), _("Requested (USD)"), _("Recommended"),
            _("Reserve position"), _("Women and girls"), _("Reason code"), _("Reason")]


def portfolio_row(item: dict) -> list:
    return [item["rank"], item["reference"], item["title"], item["organisation"],
            _countries(item["countries"]), _number(item["total_score"]),
            _number(item["requested_usd"]), _yes(item["included"]), item["reserve_position"],
            _yes(item["women_and_girls"]), item["reason_code"], item["reason"]]


def portfolio_summary(data: dict) -> list[tuple[str, object]]:
    cut = data["rank_cut"]
    version = data["version"] or _("not finalised (live)")
    return [
        (_("Call"), data["call_number"]), (_("Version"), version),
        (_("Envelope (USD)"), _number(data["envelope_usd"])),
        (_("Recommended (USD)"), _number(data["total_usd"])),
        (_("Left in the envelope (USD)"), _number(data["remaining_usd"])),
        (_("Total score"), _number(data["total_score"])),
        (_("Applications recommended"), len(data["selected"])),
        (_("Reserve list"), len(data["reserve"])),
        (_("Women and girls (USD)"), _number(data["women_and_girls_usd"])),
        (_("Women-and-girls floor (USD)"), _number(data["women_and_girls_floor_usd"])),
        (_("Countries covered"), data["countries_covered"]),
        (_("Rank cut: total (USD)"), _number(cut.get("total_usd"))),
        (_("Rank cut: total score"), _number(cut.get("total_score"))),
        (_("Score gained over the rank cut"), _number(cut.get("score_gained"))),
        (_("Added to the rank cut"), " ".join(cut.get("added_references", []))),
        (_("Removed from the rank cut"), " ".join(cut.get("removed_references", []))),
    ]


# --- CSV -------------------------------------------------------------------------------


def _csv(rows) -> bytes:
    """A header row and its rows through the one writer (fundapp.core.exports): a column
    holding numbers is a number column, the rest text."""
    header, *body = rows

    def kind(i):
        numbers = [r[i] for r in body if i < len(r) and r[i] not in (None, "")]
        return NUMBER if numbers and all(
            isinstance(v, int | Decimal) and not isinstance(v, bool) for v in numbers) else TEXT

    columns = [Column(label, (lambda r, i=i: r[i] if i < len(r) else None), kind(i))
               for i, label in enumerate(header)]
    return exports.to_bytes("csv", body, columns)


def ranking_csv(data: dict) -> bytes:
    return _csv([ranking_header(data), *(ranking_row(r, data) for r in data["results"])])


def portfolio_csv(data: dict) -> bytes:
    return _csv([portfolio_header(), *(portfolio_row(i) for i in data["applications"])])


# --- XLSX ------------------------------------------------------------------------------


def _sheet(workbook, title: str, header: list, rows, *, first=False):
    from openpyxl.styles import Font

    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title[:31]
    sheet.append([safe_cell(h) for h in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
    sheet.freeze_panes = "A2"
    return sheet


def _bytes(workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def ranking_xlsx(data: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import PatternFill

    workbook = Workbook()
    sheet = _sheet(workbook, _("Ranking"), ranking_header(data),
                   (ranking_row(r, data) for r in data["results"]), first=True)
    fill = PatternFill("solid", fgColor="E3F1E6")
    for index, row in enumerate(data["results"], start=2):
        if row["above_funding_line"]:
            for cell in sheet[index]:
                cell.fill = fill
    line = data["funding_line_rank"]
    sheet.append([])
    sheet.append([_("Funding line after rank %(rank)s: envelope USD %(envelope)s")
                  % {"rank": line if line is not None else "—",
                     "envelope": data["envelope_usd"]}])
    return _bytes(workbook)


def portfolio_xlsx(data: dict) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    _sheet(workbook, _("Summary"), [_("Figure"), _("Value")], portfolio_summary(data),
           first=True)
    _sheet(workbook, _("Recommended"), portfolio_header(),
           (portfolio_row(i) for i in data["selected"]))
    _sheet(workbook, _("Reserve list"), portfolio_header(),
           (portfolio_row(i) for i in data["reserve"]))
    _sheet(workbook, _("All applications"), portfolio_header(),
           (portfolio_row(i) for i in data["applications"]))
    return _bytes(workbook)


# --- the columns of the list pages (fundapp.core.exports writes them) --------------------


def _countries(codes) -> str:
    return ", ".join(country_name(c) for c in (codes or []))


def _person(user) -> str:
    return person_name(user) if user is not None else ""


# PostgreSQL needs a precision to cast to numeric (a bare DecimalField is "numeric(None,None)").
SCORE = DecimalField(max_digits=12, decimal_places=4)


def with_review_scores(qs):
    """Applications with ``reviews_submitted`` and ``review_score`` (the weighted mean of
    their submitted reviews' scores, 1–5): two subqueries, whatever the rows."""
    submitted = Review.objects.filter(application=OuterRef("pk"), status=ReviewStatus.SUBMITTED)
    scores = (ReviewScore.objects.filter(review__application=OuterRef("pk"),
                                         review__status=ReviewStatus.SUBMITTED,
                                         score__isnull=False)
              .order_by().values("review__application")
              .annotate(mean=Cast(Sum(F("score") * F("criterion__weight")), SCORE)
                        / Cast(Sum("criterion__weight"), SCORE))
              .values("mean"))
    return qs.annotate(
        reviews_submitted=Coalesce(Subquery(submitted.order_by().values("application")
                                            .annotate(n=Count("pk")).values("n")), 0),
        review_score=Subquery(scores, output_field=SCORE))


def _score(app):
    value = getattr(app, "review_score", None)
    return Decimal(value).quantize(Decimal("0.01")) if value is not None else None


def application_columns(user, *, scores: bool | None = None) -> list[Column]:
    """An application list: budget total, priorities, countries; the review scores for the
    secretariat only (``with_review_scores`` on the queryset)."""
    scores = user_can(user, "application.screen") if scores is None else scores
    columns = [
        Column(gettext_lazy("Reference"), "reference"),
        Column(gettext_lazy("Call"), "call.number", NUMBER),
        Column(gettext_lazy("Title"), "title"),
        Column(gettext_lazy("Organisation"), "organisation.name"),
        Column(gettext_lazy("Countries"), lambda a: _countries(a.countries)),
        Column(gettext_lazy("Status"), lambda a: ApplicationStatus(
            getattr(a, "seen_status", None) or a.status).label),
        Column(gettext_lazy("Requested (USD)"), "requested_usd", MONEY),
        Column(gettext_lazy("Budget total (USD)"), "budget_total", MONEY),
        Column(gettext_lazy("Duration (months)"), "duration_months", NUMBER),
        Column(gettext_lazy("Priorities"), lambda a: ", ".join(
            c.priority.name for c in a.priority_claims.all())),
        Column(gettext_lazy("Submitted"), "submitted_at", DATETIME),
        Column(gettext_lazy("Created"), "created_at", DATETIME),
    ]
    if scores:
        columns += [Column(gettext_lazy("Reviews submitted"), "reviews_submitted", NUMBER),
                    Column(gettext_lazy("Mean review score (1-5)"), _score, NUMBER)]
    return columns


def screening_columns() -> list[Column]:
    return [Column(gettext_lazy("Reference"), "reference"),
            Column(gettext_lazy("Call"), "call.number", NUMBER),
            Column(gettext_lazy("Title"), "title"),
            Column(gettext_lazy("Organisation"), "organisation.name"),
            Column(gettext_lazy("Requested (USD)"), "requested_usd", MONEY),
            Column(gettext_lazy("Status"), "get_status_display"),
            Column(gettext_lazy("Checks passed"), "screening.passed_count", NUMBER),
            Column(gettext_lazy("Submitted"), "submitted_at", DATETIME)]


def review_columns(user, *, scores: bool = True,
                   criteria: list[tuple[str, str]] | None = None) -> list[Column]:
    """Reviews with their weighted score (1–5) and each criterion's score when the rows
    carry their ``scores`` (prefetched)."""
    def organisation(review):
        return "" if hides_identity(user, review.application) else (
            review.application.organisation.name)

    columns = [
        Column(gettext_lazy("Reference"), "application.reference"),
        Column(gettext_lazy("Call"), "application.call.number", NUMBER),
        Column(gettext_lazy("Title"), "application.title"),
        Column(gettext_lazy("Organisation"), organisation),
        Column(gettext_lazy("Reviewer"), lambda r: _person(r.reviewer)),
        Column(gettext_lazy("Status"), "get_status_display"),
        Column(gettext_lazy("Assigned"), "assigned_at", DATETIME),
        Column(gettext_lazy("Submitted"), "submitted_at", DATETIME),
    ]
    if scores:
        columns += [Column(gettext_lazy("Score: %(criterion)s") % {"criterion": name},
                           _criterion_score(code), NUMBER)
                    for code, name in (criteria or [])]
        columns += [
            Column(gettext_lazy("Weighted score (1-5)"), _weighted, NUMBER),
            Column(gettext_lazy("Overall comment"), "comment"),
        ]
    return columns


def review_criteria(reviews) -> list[tuple[str, str]]:
    """``(code, name)`` of the rubric criteria of the calls the reviews belong to, each code
    once (a list mixing calls gets the union): one query, whatever the rows."""
    seen: dict[str, str] = {}
    calls = reviews.order_by().values("application__call_id")
    for criterion in ReviewCriterion.objects.filter(call__in=calls).order_by(
            "position", "call_id", "id"):
        seen.setdefault(criterion.code, criterion.name)
    return list(seen.items())


def _criterion_score(code):
    def get(review):
        return next((s.score for s in review.scores.all() if s.criterion.code == code), None)
    return get


def _weighted(review):
    return weighted_score(review, list(review.application.call.review_criteria.all()))


def grant_columns() -> list[Column]:
    """Grants with their approved, paid and remaining amounts (``with_money`` rows)."""
    def remaining(g):
        if hasattr(g, "remaining_usd"):  # with_money: nothing left once the grant is over
            return g.remaining_usd
        if not hasattr(g, "paid_usd"):
            return None
        return g.approved_usd - (g.paid_usd or Decimal(0))

    return [Column(gettext_lazy("Agreement"), "agreement_number"),
            Column(gettext_lazy("Call"), "call.number", NUMBER),
            Column(gettext_lazy("Project"), "application.title"),
            Column(gettext_lazy("Organisation"), "application.organisation.name"),
            Column(gettext_lazy("Countries"), lambda g: _countries(g.application.countries)),
            Column(gettext_lazy("Status"), "get_status_display"),
            Column(gettext_lazy("Start date"), "start_date", DATE),
            Column(gettext_lazy("End date"), "end_date", DATE),
            Column(gettext_lazy("Approved (USD)"), "approved_usd", MONEY),
            Column(gettext_lazy("Paid (USD)"), "paid_usd", MONEY),
            Column(gettext_lazy("Refunded (USD)"), "refunded_usd", MONEY),
            Column(gettext_lazy("Remaining to pay (USD)"), remaining, MONEY),
            Column(gettext_lazy("Overdue report"), "has_overdue", BOOL)]


def report_due_columns() -> list[Column]:
    """The reports list's rows (``grants.selectors.reports.report_dues_visible_to``)."""
    from grants.selectors.reports import REPORT_STATES

    states = dict(REPORT_STATES)
    return [Column(gettext_lazy("Agreement"), "grant.agreement_number"),
            Column(gettext_lazy("Call"), "grant.call.number", NUMBER),
            Column(gettext_lazy("Organisation"), "grant.application.organisation.name"),
            Column(gettext_lazy("Project"), "grant.application.title"),
            Column(gettext_lazy("Report"), "get_kind_display"),
            Column(gettext_lazy("Report no."), "number", NUMBER),
            Column(gettext_lazy("Due date"), "due_date", DATE),
            Column(gettext_lazy("Status"), lambda d: str(states.get(d.state, d.state))),
            Column(gettext_lazy("Version"), "latest_version", NUMBER),
            Column(gettext_lazy("Submitted"), "submitted_at", DATETIME),
            Column(gettext_lazy("Overdue"), "overdue", BOOL)]


def organisation_columns() -> list[Column]:
    return [Column(gettext_lazy("Name"), "name"),
            Column(gettext_lazy("Registration number"), "registration_number"),
            Column(gettext_lazy("Country"), lambda o: country_name(o.country) if o.country
                   else ""),
            Column(gettext_lazy("Status"), "get_status_display"),
            Column(gettext_lazy("Members"), "member_count", NUMBER),
            Column(gettext_lazy("Created"), "created_at", DATETIME)]


def people_columns(role_labels) -> list[Column]:
    """``role_labels(person)``: the words of a person's roles."""
    return [Column(gettext_lazy("Name"), lambda p: _person(p)),
            Column(gettext_lazy("User name"), "username"),
            Column(gettext_lazy("E-mail"), "email"),
            Column(gettext_lazy("Roles"), lambda p: ", ".join(str(r) for r in role_labels(p))),
            Column(gettext_lazy("Organisation"), "membership.organisation.name"),
            Column(gettext_lazy("Active"), "is_active", BOOL),
            Column(gettext_lazy("Last sign-in"), "last_login", DATETIME)]


def review_progress_columns() -> list[Column]:
    return [Column(gettext_lazy("Reference"), "reference"),
            Column(gettext_lazy("Title"), "title"),
            Column(gettext_lazy("Organisation"), "organisation.name"),
            Column(gettext_lazy("Status"), "get_status_display"),
            Column(gettext_lazy("Assigned"), "n_assigned", NUMBER),
            Column(gettext_lazy("In draft"), "n_draft", NUMBER),
            Column(gettext_lazy("Submitted"), "n_submitted", NUMBER),
            Column(gettext_lazy("Conflicts of interest"), "n_conflict", NUMBER)]


def call_progress_columns(counts: list[tuple[str, str]]) -> list[Column]:
    """A list of calls with counts annotated on each (``counts``: attribute, header)."""
    return [Column(gettext_lazy("Call"), "number", NUMBER),
            Column(gettext_lazy("Title"), "title"),
            Column(gettext_lazy("Status"), "get_effective_status_display"),
            *(Column(label, attr, NUMBER) for attr, label in counts)]


def call_columns() -> list[Column]:
    """The secretariat's calls (``calls_with_counts`` rows)."""
    return [Column(gettext_lazy("Call"), "number", NUMBER),
            Column(gettext_lazy("Title"), "title"),
            Column(gettext_lazy("Status"), "get_effective_status_display"),
            Column(gettext_lazy("Opens"), "opens_at", DATETIME),
            Column(gettext_lazy("Closes"), "closes_at", DATETIME),
            Column(gettext_lazy("Drafts"), "draft_count", NUMBER),
            Column(gettext_lazy("Submitted"), "submitted_count", NUMBER)]


def reviewer_progress_columns() -> list[Column]:
    return [Column(gettext_lazy("Reviewer"), lambda u: _person(u)),
            Column(gettext_lazy("Assigned"), "n_assigned", NUMBER),
            Column(gettext_lazy("In draft"), "n_draft", NUMBER),
            Column(gettext_lazy("Submitted"), "n_submitted", NUMBER),
            Column(gettext_lazy("Conflicts of interest"), "n_conflict", NUMBER)]


def board_session_columns() -> list[Column]:
    return [Column(gettext_lazy("Session"), "get_kind_display"),
            Column(gettext_lazy("Meeting date"), "meeting_date", DATE),
            Column(gettext_lazy("Status"), "get_status_display"),
            Column(gettext_lazy("Voting closes"), "closes_at", DATETIME),
            Column(gettext_lazy("Items"), "n_items", NUMBER),
            Column(gettext_lazy("My votes"), "n_mine", NUMBER)]


def sanctions_list_columns() -> list[Column]:
    return [Column(gettext_lazy("Source"), "source_name"),
            Column(gettext_lazy("Generated on"), "generated_on", DATETIME),
            Column(gettext_lazy("Imported"), "imported_at", DATETIME),
            Column(gettext_lazy("Individuals"), "individuals", NUMBER),
            Column(gettext_lazy("Entities"), "entities", NUMBER)]


# --- the board's briefing pack (PDF) -----------------------------------------------------


def _details(ids: list[int]) -> dict[int, dict]:
    """Summary, duration and budget lines of the recommended applications (two queries)."""
    details = {pk: {"summary": summary, "duration_months": months, "budget_lines": []}
               for pk, summary, months in Application.objects.filter(pk__in=ids)
               .values_list("pk", "summary", "duration_months")}
    for app_id, category, description, amount in (
            BudgetLine.objects.filter(application_id__in=ids).order_by("position", "id")
            .values_list("application_id", "category", "description",
                                              "amount")):
        details[app_id]["budget_lines"].append(
            {"category": category, "description": description, "amount": amount})
    return details


def briefing_pack_data(call, version: int | None = None) -> dict:
    """What the briefing pack shows: with ``version``, that finalised version; without,
    the current final version while the live recommendation still matches it (the Board
    decides on that one), else the live recommendation, which the pack marks DRAFT."""
    data = portfolio_view_data(call, version)
    final = data["finalised"]
    if version is None and final and final["matches_live"]:
        data = portfolio_view_data(call, final["version"])
    return data


def _edition(call, data: dict) -> dict:
    """Which version the pack is: DRAFT (live) or final version N, finalised on a day by
    someone, and the version in force when it is not this one."""
    versions = recommendation_versions(call)
    current = next((r for r in versions if r.is_current), None)
    shown = next((r for r in versions if r.version == data.get("version")), None)
    return {
        "draft": shown is None,
        "version": shown.version if shown else None,
        "finalised_at": shown.finalised_at if shown else None,
        "finalised_by": shown.finalised_by.display_name if shown and shown.finalised_by
        else None,
        "current": current,
        "superseded": bool(shown and current and current.version != shown.version),
    }


def briefing_pack_title(call, edition: dict) -> str:
    if edition["draft"]:
        return _("Briefing pack for the Board of Trustees, call %(n)s (DRAFT)") % {
            "n": call.number}
    return _("Briefing pack for the Board of Trustees, call %(n)s, version %(v)s") % {
        "n": call.number, "v": edition["version"]}


def _rubric_names(call) -> dict[str, dict[str, str]]:
    """The call's criteria and priorities by code, named in the active language (the
    ranking froze the names in the language it ran in)."""
    from grants.models import CallPriority, ReviewCriterion

    return {"criteria": {c.code: c.name for c in ReviewCriterion.objects.filter(call=call)},
            "priorities": {p.code: p.name for p in CallPriority.objects.filter(call=call)}}


def _named(item: dict, names: dict[str, dict[str, str]]) -> dict:
    """A copy of a portfolio item whose breakdown names its criteria and priorities in the
    reader's language."""
    b = item.get("breakdown") or {}
    renamed = {key: [entry | {"name": names[key].get(entry.get("code"), entry.get("name"))}
                     for entry in b.get(key) or [] if isinstance(entry, dict)]
               for key in ("criteria", "priorities")}
    return item | {"breakdown": b | renamed}


def briefing_pack_pdf(data: dict, *, call) -> bytes:
    """A cover page (which version, totals, the funding line, the rank cut), then one page
    per recommended application: summary, score breakdown, priorities and budget lines.
    Marked DRAFT on every page unless ``data`` is a finalised version."""
    details = _details([i["application"] for i in data["selected"]])
    labels = dict(BudgetCategory.choices)
    names = _rubric_names(call)
    pages = []
    for item in data["selected"]:
        item = _named(item, names)
        extra = details.get(item["application"], {"summary": "", "budget_lines": []})
        lines = [line | {"label": labels.get(line["category"], line["category"])}
                 for line in extra["budget_lines"]]
        pages.append({"item": item, "summary": extra["summary"], "budget_lines": lines,
                      "budget_total": sum((line["amount"] for line in lines), Decimal(0)),
                      "duration_months": extra.get("duration_months")})
    violations = [violation_text(code, call) for code in data["rank_cut"].get("violations", [])]
    edition = _edition(call, data)
    return render_pdf("grants/ranking/briefing_pack.html", {
        "call": call, "data": data, "pages": pages, "violations": violations,
        "edition": edition, "generated_at": timezone.now()},
        title=briefing_pack_title(call, edition))


# --- responses ---------------------------------------------------------------------------


def file_response(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _name(call, what: str, data: dict | None = None) -> str:
    version = f"-v{data['version']}" if data and data.get("version") else ""
    return slugify(f"call-{call.number}-{what}") + version


def briefing_pack_file(call, version: int | None = None) -> HttpResponse:
    """The board's briefing pack (see ``briefing_pack_data`` for which version)."""
    data = briefing_pack_data(call, version)
    name = _name(call, "briefing-pack", data) + ("" if data["version"] else "-draft")
    return file_response(briefing_pack_pdf(data, call=call), PDF_TYPE, name + ".pdf")


def ranking_file(call, data: dict, fmt: str) -> HttpResponse:
    if fmt == "xlsx":
        return file_response(ranking_xlsx(data), XLSX_TYPE, _name(call, "ranking") + ".xlsx")
    return file_response(ranking_csv(data), CSV_TYPE, _name(call, "ranking") + ".csv")


def portfolio_file(call, data: dict, fmt: str) -> HttpResponse:
    """``fmt``: csv or xlsx (the PDF is ``briefing_pack_file``)."""
    if fmt == "xlsx":
        return file_response(portfolio_xlsx(data), XLSX_TYPE,
                             _name(call, "portfolio", data) + ".xlsx")
    return file_response(portfolio_csv(data), CSV_TYPE, _name(call, "portfolio", data) + ".csv")


def member_columns() -> list[Column]:
    """An organisation's members page (``?format=``): who, which role, since when."""
    return [Column(gettext_lazy("Name"), lambda m: _person(m.user)),
            Column(gettext_lazy("User name"), "user.username"),
            Column(gettext_lazy("E-mail"), "user.email"),
            Column(gettext_lazy("Role"), "get_role_display"),
            Column(gettext_lazy("Member since"), "created_at", DATETIME),
            Column(gettext_lazy("Last sign-in"), "user.last_login", DATETIME)]


def invitation_columns() -> list[Column]:
    """The pending invitations on the members page (``?list=invitations&format=``)."""
    return [Column(gettext_lazy("E-mail address"), "email"),
            Column(gettext_lazy("Role"), "get_role_display"),
            Column(gettext_lazy("Invited by"), lambda i: _person(i.invited_by)
                   if i.invited_by else ""),
            Column(gettext_lazy("Sent"), "created_at", DATETIME),
            Column(gettext_lazy("Expires"), "expires_at", DATETIME)]
