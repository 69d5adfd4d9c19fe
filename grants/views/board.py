"""Board pages: the sessions, one screen per session (agenda, votes, quorum, budget, closing),
each application's briefing, the secretariat's membership and session forms; grants and
decision letters."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from fundapp.accounts.roles import user_can
from fundapp.core.audit import audit_trail_for
from fundapp.core.decorators import capability_required
from fundapp.core.errors import FundError
from fundapp.core.exports import export_response, requested_format
from fundapp.core.forms import apply_errors, form_submit
from fundapp.core.listing import Filter, listing
from grants.selectors.implementation import grant_portfolio
from grants.views.implementation import PORTFOLIO_SORTS, portfolio_filters
from fundapp.core.pdf import render_pdf
from grants.confirmations import confirm
from grants.forms.board import (
    BallotRowForm,
    CancelForm,
    ChairAmountForm,
    CloseForm,
    MembershipForm,
    ReserveOfferForm,
    SessionForm,
    TermEndForm,
    TrancheFormSet,
)
from grants.letters import (
    letter_filename,
    letter_language,
    render_letter_pdf,
    supported_language,
)
from grants.models import BoardSession, BudgetLine, Decision
from grants.selectors.applications import get_application_for
from grants.selectors.awards import get_grant_details_for
from grants.selectors.board import (
    agenda_details,
    item_explanation,
    ballot_draft_for,
    ballot_draft_members,
    decided_item_for,
    get_item_for,
    get_session_for,
    membership_list,
    portfolio_item_of,
    review_summary,
    session_list,
    session_overview,
    votes_intact,
)
from grants.services.awards import grant_cancel, grant_tranches_update
from grants.services.board import (
    BallotInvalid,
    SessionClosed,
    board_ballot_draft_save,
    board_ballot_submit,
    board_item_set_amount,
    board_membership_add,
    board_membership_end,
    board_reserve_offer,
    board_session_close,
    board_session_create,
)

from grants.exports import board_session_columns, grant_columns

from grants.selectors.work.members import sessions_awaiting_vote
from grants.selectors.work.secretariat import sessions_to_close


# ---------------------------------------------------------------- sessions


@capability_required("board.view")
def board_home(request):
    sessions = session_list(request.user).annotate(
        n_items=Count("items", distinct=True),
        n_mine=Count("votes", filter=Q(votes__member=request.user), distinct=True))
    # ?vote=needed: the home page's "sessions awaiting your vote" (grants.selectors.work.members)
    found = listing(request, sessions.prefetch_related(None), filters=[
        Filter("vote", gettext_lazy("Your vote"),
               choices=[("needed", gettext_lazy("Sessions still needing your vote"))],
               apply=lambda qs, value: sessions_awaiting_vote(qs, request.user)),
        # ?to_close=1: the secretariat's "Board sessions to close" (grants.selectors.work)
        Filter("to_close", gettext_lazy("Closing"),
               choices=[("1", gettext_lazy("Voting ended or all votes in"))],
               apply=lambda qs, value: sessions_to_close(qs))])
    if requested_format(request):
        return export_response(request, found.queryset,
                               board_session_columns(), "board-sessions")
    return render(request, "grants/board/home.html", {
        "page": found.page, "listing": found,
        "can_manage": user_can(request.user, "board.manage"),
    })


def _vote_values(vote) -> dict:
    if vote is None:
        return {}
    return {"vote": vote.vote, "amount_usd": "" if vote.amount_usd is None
            else f"{vote.amount_usd:.2f}", "conditions": vote.conditions,
            "feedback": vote.feedback}


def _editable(row, can_vote: bool) -> bool:
    return can_vote and not row.recused and row.item.application.status != "withdrawn"


def _typed(request, item_pk: int) -> dict:
    """A row of the posted sheet exactly as typed."""
    prefix = f"item-{item_pk}"
    return {name: request.POST.get(f"{prefix}-{name}", "").strip()
            for name in ("vote", "amount_usd", "conditions", "feedback")}


def _prefilled(row, typed: dict) -> dict:
    """"Approve all recommended, decline the reserve" on a row the member left empty."""
    if typed.get("vote"):
        return typed
    if row.item.on_reserve:
        return typed | {"vote": "decline", "feedback": typed.get("feedback") or _(
            "The application is on the reserve list: the recommended portfolio uses the "
            "call's envelope.")}
    return typed | {"vote": "approve"}


def _members_status(overview, drafts: frozenset[int]) -> list[dict]:
    """Per sitting member: items voted (or recused) of all, which are missing, a draft."""
    return [{"member": m, "voted": voted, "of": n, "draft": m.user_id in drafts,
             "missing": [r.item.position for r in overview.rows
                         if m.user_id not in r.voted_ids]}
            for m, voted, n in overview.members_status()]


def _close_summary(overview, members: list[dict]) -> dict:
    counts: dict[str, int] = {}
    for row in overview.rows:
        counts[row.outcome.decision] = counts.get(row.outcome.decision, 0) + 1
    return {"approved": counts.get(Decision.APPROVED, 0),
            "declined": counts.get(Decision.DECLINED, 0),
            "deferred": counts.get(Decision.DEFERRED, 0),
            "total_usd": overview.total_usd,
            "waiting": [m for m in members if m["missing"]]}


def _chair_amount_form(row, bound=None):
    form = bound or ChairAmountForm(prefix=f"amount-{row.item.pk}", initial={
        "amount_usd": row.item.chair_amount_usd, "reason": row.item.chair_amount_reason})
    for field in form.fields.values():
        field.widget.attrs["form"] = f"chair-amount-{row.item.pk}"
    return form


def _session_page(request, session: BoardSession, *, forms=None, initial=None,
                  close_form=None, amount_form=None, status=200):
    """The session as one ballot sheet: every agenda item a row of one form for a sitting
    member (``forms``: the posted rows, kept as typed; ``initial``: rows to pre-fill),
    read-only for everyone else; the Chair's amounts and closing beside it."""
    overview = session_overview(session, request.user)
    details = agenda_details(session, overview)
    can_vote = session.is_open and overview.is_member and overview.window == "open"
    draft = ballot_draft_for(session, request.user) if can_vote else None
    saved = (draft.votes if draft else {}) or {}
    forms, initial = forms or {}, initial or {}
    editable = 0
    for row in overview.rows:
        row.details = details[row.item.pk]
        row.editable = _editable(row, can_vote)
        editable += row.editable
        if row.editable:
            row.form = forms.get(row.item.pk) or BallotRowForm(
                prefix=f"item-{row.item.pk}",
                initial=initial.get(row.item.pk) or saved.get(str(row.item.pk))
                or _vote_values(row.my_vote))
        row.amount_form = _chair_amount_form(
            row, amount_form[1] if amount_form and amount_form[0] == row.item.pk else None)
    oversees = overview.is_chair or user_can(request.user, "board.manage")
    members = _members_status(overview, ballot_draft_members(session)
                              if oversees and session.is_open else frozenset())
    return render(request, "grants/board/session.html", {
        "session": session, "call": session.call, "o": overview, "can_vote": can_vote,
        "editable": editable, "draft": draft, "members": members, "oversees": oversees,
        "bad_rows": [r for r in overview.rows if r.editable and r.form.errors],
        "mine_missing": sum(1 for r in overview.rows if r.editable and r.my_vote is None),
        "close_form": close_form or CloseForm(), "intact": votes_intact(session),
        "close": _close_summary(overview, members)
        if session.is_open and overview.is_chair else None,
        "can_manage": user_can(request.user, "board.manage"),
        "audit": list(audit_trail_for(session).order_by("-created_at")[:50])
        if not session.is_open else [],
    }, status=status)


@capability_required("board.view")
def board_session(request, pk: int):
    return _session_page(request, get_session_for(request.user, pk))


def _forbid(exc: FundError) -> None:
    """A permission refused by a service is a 403 page, not a form error."""
    if exc.status_code == 403:
        raise PermissionDenied(str(exc.message)) from exc


def session_url(session) -> str:
    return reverse("grants:board-session", args=[session.pk])


def _closed(request, session, exc) -> HttpResponse:
    messages.error(request, exc.message)
    return _session_page(request, session, status=409)


def _show_row_errors(forms: dict, items: dict, exc: BallotInvalid) -> None:
    for app_id, errors in exc.rows.items():
        form = forms.get(getattr(items.get(app_id), "pk", None))
        if form is None:
            continue
        for name, texts in errors.items():
            for text in texts:
                form.add_error(name if name in form.fields else None, text)


@capability_required("board.vote")
@require_POST
def board_ballot(request, pk: int):
    """The ballot sheet posted: pre-fill it (nothing saved), save it as a draft, or submit
    every vote at once (all or none; a refused row is shown next to it, the rest as typed)."""
    session = get_session_for(request.user, pk)
    overview = session_overview(session, request.user)
    rows = [r for r in overview.rows if _editable(r, True)]
    action = request.POST.get("action", "submit")
    if action == "prefill":
        return _session_page(request, session, initial={
            r.item.pk: _prefilled(r, _typed(request, r.item.pk)) for r in rows})
    forms = {r.item.pk: BallotRowForm(request.POST, prefix=f"item-{r.item.pk}") for r in rows}
    items = {r.item.application_id: r.item for r in rows}
    try:
        if action == "draft":
            board_ballot_draft_save(actor=request.user, session=session, votes={
                str(r.item.pk): _typed(request, r.item.pk) for r in rows})
            messages.success(request, _("Your ballot is saved as a draft: nothing in it "
                                        "counts until you submit it."))
            return redirect(f"{session_url(session)}#ballot")
        valid = [form.is_valid() for form in forms.values()]
        if not all(valid):
            messages.error(request, _("Some rows of the ballot need correcting: none of its "
                                      "votes is recorded yet."))
            return _session_page(request, session, forms=forms, status=400)
        entries = [{"application": r.item.application_id, **forms[r.item.pk].values()}
                   for r in rows if forms[r.item.pk].cleaned_data.get("vote")]
        ballot = board_ballot_submit(actor=request.user, session=session, votes=entries)
    except SessionClosed as exc:
        return _closed(request, session, exc)
    except BallotInvalid as exc:
        _show_row_errors(forms, items, exc)
        messages.error(request, exc.message)
        return _session_page(request, session, forms=forms, status=400)
    except FundError as exc:
        _forbid(exc)
        messages.error(request, exc.field_errors.get("votes", [exc.message])[0])
        return _session_page(request, session, forms=forms, status=exc.status_code)
    voted_now = {e["application"] for e in entries}
    left = sum(1 for r in rows if r.my_vote is None and r.item.application_id not in voted_now)
    text = ngettext("Your ballot is recorded: %(n)s vote.",
                    "Your ballot is recorded: %(n)s votes.", len(ballot.votes)) % {
        "n": len(ballot.votes)}
    if left:
        text += " " + ngettext("%(n)s application still awaits your vote.",
                               "%(n)s applications still await your vote.", left) % {"n": left}
    messages.success(request, text)
    return redirect(f"{session_url(session)}#ballot")


@capability_required("board.view")
def board_session_pack(request, pk: int):
    """The Board pack: the whole agenda as a PDF for reading offline (with the viewer's
    confidentiality rules, as on the sheet)."""
    session = get_session_for(request.user, pk)
    overview = session_overview(session, request.user)
    details = agenda_details(session, overview)
    lines: dict[int, list] = {}
    for line in BudgetLine.objects.filter(
            application_id__in=[r.item.application_id for r in overview.rows]).order_by(
            "position", "id"):
        lines.setdefault(line.application_id, []).append(line)
    for row in overview.rows:
        row.details = details[row.item.pk]
        row.budget_lines = lines.get(row.item.application_id, [])
    title = _("Board pack, call %(n)s") % {"n": session.call.number}
    content = render_pdf("grants/board/pack.html", {
        "session": session, "call": session.call, "o": overview, "title": title,
        "generated_at": timezone.now()}, title=title)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (f'attachment; filename="board-pack-call-'
                                       f'{session.call.number}-session-{session.pk}.pdf"')
    response["Cache-Control"] = "private, no-store"
    return response


@capability_required("board.vote")
@require_POST
def board_chair_amount(request, pk: int, item_pk: int):
    session = get_session_for(request.user, pk)
    item = get_item_for(request.user, session, item_pk)
    form = ChairAmountForm(request.POST, prefix=f"amount-{item.pk}")
    if form.is_valid():
        try:
            board_item_set_amount(actor=request.user, session=session,
                                  application=item.application, **form.cleaned_data)
        except SessionClosed as exc:
            return _closed(request, session, exc)
        except FundError as exc:
            _forbid(exc)
            apply_errors(form, exc)
        else:
            messages.success(request, _("The approved amount is recorded."))
            return redirect(f"{session_url(session)}#item-{item.pk}")
    return _session_page(request, session, amount_form=(item.pk, form), status=400)


@capability_required("board.vote")
@require_POST
@confirm("session-close")
def board_close(request, pk: int):
    session = get_session_for(request.user, pk)
    form = CloseForm(request.POST)
    form.is_valid()
    try:
        board_session_close(actor=request.user, session=session,
                            override_reason=form.cleaned_data.get("override_reason", ""))
    except SessionClosed as exc:
        return _closed(request, session, exc)
    except FundError as exc:
        _forbid(exc)
        apply_errors(form, exc)
        return _session_page(request, session, close_form=form, status=exc.status_code)
    messages.success(request, _("The session is closed: its decisions are recorded and "
                                "signed, and the applicants are told."))
    return redirect("grants:board-session", pk=session.pk)


@capability_required("board.view")
def board_item(request, pk: int, item_pk: int):
    session = get_session_for(request.user, pk)
    item = get_item_for(request.user, session, item_pk)
    overview = session_overview(session, request.user)
    row = next(r for r in overview.rows if r.item.pk == item.pk)
    app = item.application
    summary, reviews = review_summary(app) if not row.recused else (None, [])
    portfolio = portfolio_item_of(item)
    return render(request, "grants/board/item.html", {
        "session": session, "call": session.call, "item": item, "row": row, "app": app,
        "o": overview, "summary": summary, "reviews": reviews, "portfolio": portfolio,
        # the score's parts and the portfolio's reason in words, as on the ballot sheet
        "d": item_explanation(session, portfolio),
        "budget_lines": list(app.budget_lines.order_by("position", "id")),
        "claims": list(app.priority_claims.select_related("priority")),
    })


# ---------------------------------------------------------------- secretariat


@capability_required("board.manage")
@require_http_methods(["GET", "POST"])
def board_session_create_view(request):
    form = SessionForm(request.POST or None)
    if done := form_submit(request, form, lambda data: board_session_create(actor=request.user,
                                                                             **data)):
        messages.success(request, _("The session is open and the members are told."))
        return redirect("grants:board-session", pk=done.result.pk)
    return render(request, "grants/board/session_form.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


@capability_required("board.manage")
@require_http_methods(["GET", "POST"])
def board_reserve_offer_view(request):
    form = ReserveOfferForm(request.POST or None)
    if done := form_submit(request, form, lambda data: board_reserve_offer(actor=request.user,
                                                                            **data)):
        messages.success(request, _("The offer to the next reserve application is open for "
                                    "the board's written vote."))
        return redirect("grants:board-session", pk=done.result.pk)
    return render(request, "grants/board/reserve_form.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


@capability_required("board.view")
@require_http_methods(["GET", "POST"])
def board_members(request):
    can_manage = user_can(request.user, "board.manage")
    form = MembershipForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form_submit(request, form, lambda data: board_membership_add(actor=request.user,
                                                                         **data)):
            messages.success(request, _("The seat is recorded."))
            return redirect("grants:board-members")
    today = timezone.localdate()
    memberships = list(membership_list())
    for m in memberships:
        m.sitting = m.sits_on(today)
    return render(request, "grants/board/members.html", {
        "memberships": memberships, "form": form, "can_manage": can_manage,
        "today": today,
    }, status=400 if request.method == "POST" else 200)


@capability_required("board.manage")
@require_POST
def board_member_end(request, pk: int):
    membership = membership_list().filter(pk=pk).first()
    if membership is None:
        raise Http404
    form = TermEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the date the term ends."))
        return redirect("grants:board-members")
    try:
        board_membership_end(actor=request.user, membership=membership, **form.cleaned_data)
    except FundError as exc:
        messages.error(request, exc.summary())
    else:
        messages.success(request, _("The term's end is recorded."))
    return redirect("grants:board-members")


# ---------------------------------------------------------------- grants and letters


@capability_required("grant.view_all")
def grant_list_view(request):
    """The grants the Board awarded, with the portfolio's filters, sorts and page size."""
    grants = grant_portfolio(request.user).prefetch_related(None)
    found = listing(request, grants, filters=portfolio_filters(request.user, grants),
                    sorts=PORTFOLIO_SORTS)
    if requested_format(request):
        return export_response(request, found.queryset, grant_columns(), "grants")
    return render(request, "grants/board/grant_list.html", {
        "page": found.page, "listing": found})


def _tranche_formset(grant, data=None):
    initial = [{"percent": t.percent, "condition": t.condition,
                "report_number": t.report_number} for t in grant.tranches.all()]
    return TrancheFormSet(data, initial=initial, prefix="tranches")


@login_required
@require_http_methods(["GET"])
def grant_detail(request, pk: int):
    grant = get_grant_details_for(request.user, pk)
    return _grant_page(request, grant)


def _grant_page(request, grant, formset=None, cancel_form=None, status=200):
    can_manage = user_can(request.user, "grant.manage")
    return render(request, "grants/board/grant_detail.html", {
        "grant": grant, "app": grant.application, "can_manage": can_manage,
        "formset": formset or (_tranche_formset(grant) if can_manage else None),
        "cancel_form": cancel_form or (CancelForm() if can_manage else None),
    }, status=status)


@capability_required("grant.manage")
@require_POST
def grant_tranches(request, pk: int):
    grant = get_grant_details_for(request.user, pk)
    formset = _tranche_formset(grant, request.POST)
    if formset.is_valid():
        specs = [{k: f.cleaned_data[k] for k in ("percent", "condition", "report_number")}
                 for f in formset.forms
                 if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        try:
            grant_tranches_update(actor=request.user, grant=grant, tranches=specs)
        except FundError as exc:
            messages.error(request, exc.summary())
            return _grant_page(request, grant, formset=formset, status=exc.status_code)
        messages.success(request, _("The tranche schedule is saved."))
        return redirect("grants:grant-detail", pk=grant.pk)
    return _grant_page(request, grant, formset=formset, status=400)


@capability_required("grant.manage")
@require_POST
@confirm("grant-cancel")
def grant_cancel_view(request, pk: int):
    grant = get_grant_details_for(request.user, pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            grant_cancel(actor=request.user, grant=grant, **form.cleaned_data)
        except FundError as exc:
            apply_errors(form, exc)
            return _grant_page(request, grant, cancel_form=form, status=exc.status_code)
        messages.success(request, _("The grant is cancelled; its amount can be offered to the "
                                    "reserve list."))
        return redirect("grants:grant-detail", pk=grant.pk)
    return _grant_page(request, grant, cancel_form=form, status=400)


@login_required
def application_grant(request, pk: int):
    """From an application to its grant (its organisation's users, secretariat, board)."""
    app = get_application_for(request.user, pk)
    grant = getattr(app, "grant", None)
    if grant is None:
        raise Http404
    get_grant_details_for(request.user, grant.pk)
    return redirect("grants:grant-detail", pk=grant.pk)


@login_required
def decision_letter(request, pk: int):
    """The decision letter (PDF) in the reader's language; staff may ask ``?lang=fr``."""
    item = decided_item_for(request.user, pk)
    language = letter_language(request.user)
    asked = request.GET.get("lang", "")
    if asked and user_can(request.user, "board.view"):
        language = supported_language(asked)
    response = HttpResponse(render_letter_pdf(item, language=language),
                            content_type="application/pdf")
    response["Content-Disposition"] = (f'attachment; filename="'
                                       f'{letter_filename(item, language)}"')
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
