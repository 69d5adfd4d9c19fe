"""The NGO's home panel: where each of its applications stands, in an applicant's words;
and the list of answers published on its calls (the work queue's "questions answered").

The timeline is built from the status the applicant may see (``seen_status``: every
stage between screening and the Board's decision reads "under review", issue 11), so it
never tells whether screening is over, who reviews, any score, or what the secretariat
recommends before the Board has decided.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fundapp.core.decorators import capability_required
from fundapp.core.listing import Filter, Sort, listing
from grants.models import ApplicationStatus, GrantStatus
from grants.selectors.organisations import organisation_of
from grants.selectors.work.applicants import my_applications_list, questions_answered_for

PANEL_SIZE = 8
S = ApplicationStatus


@dataclass(frozen=True)
class Step:
    name: str      # the stage, e.g. "Submitted"
    state: str     # done | current | upcoming | skipped
    note: str = ""  # what it means for the applicant


@dataclass(frozen=True)
class Timeline:
    application: object
    steps: list[Step]
    summary: str   # one sentence: where it stands and what comes next


STAGES = (gettext_lazy("Submitted"), gettext_lazy("Screened"), gettext_lazy("Under review"),
          gettext_lazy("Decided"), gettext_lazy("In implementation"))


def _steps(states: list[str], notes: dict[int, str]) -> list[Step]:
    return [Step(str(STAGES[i]), state, notes.get(i, "")) for i, state in enumerate(states)]


def _implementation(grant) -> tuple[str, str]:
    if grant is None:
        return "current", _("The secretariat is preparing your grant agreement.")
    if grant.status == GrantStatus.PENDING_SIGNATURE:
        return "current", _("Your grant agreement is ready to be signed.")
    if grant.status in (GrantStatus.ACTIVE, GrantStatus.CLOSING):
        return "current", _("The project is under way: payments follow the agreement, "
                            "reports are due on its dates.")
    if grant.status == GrantStatus.SUSPENDED:
        return "current", _("Payments are suspended; the secretariat has told you why.")
    if grant.status == GrantStatus.CLOSED:
        return "done", _("The grant is closed.")
    return "skipped", _("The grant ended before its term.")


def timeline_of(app) -> Timeline:
    """Where ``app`` stands, from its status as the applicant may see it."""
    seen = getattr(app, "seen_status", app.status)
    if seen == S.DRAFT:
        return Timeline(app, _steps(["upcoming"] * 5, {0: _("Not submitted yet.")}),
                        _("Draft: not yet sent to the fund."))
    if seen == S.WITHDRAWN:
        return Timeline(app, _steps(["done"] + ["skipped"] * 4, {}),
                        _("You withdrew this application."))
    if seen == S.SUBMITTED:
        return Timeline(app, _steps(["done", "current", "upcoming", "upcoming", "upcoming"],
                                    {1: _("The secretariat checks that it meets the call's "
                                          "conditions.")}),
                        _("Received: the secretariat is checking its eligibility."))
    if seen == S.INFORMATION_REQUESTED:
        return Timeline(app, _steps(["done", "current", "upcoming", "upcoming", "upcoming"],
                                    {1: _("The secretariat asked you for information.")}),
                        _("The secretariat is waiting for your answer."))
    if seen == S.INELIGIBLE:
        return Timeline(app, _steps(["done", "done", "skipped", "skipped", "skipped"],
                                    {1: _("It does not meet the call's conditions; the "
                                          "reasons are on the application.")}),
                        _("Not eligible for this call."))
    if seen == S.UNDER_REVIEW:
        note = _("Eligibility check and independent review under way; you will hear from "
                 "us when the Board of Trustees has decided.")
        return Timeline(app, _steps(["done", "current", "current", "upcoming", "upcoming"],
                                    {2: note}),
                        _("Being assessed: nothing is needed from you for now."))
    if seen == S.DECLINED:
        return Timeline(app, _steps(["done", "done", "done", "done", "skipped"],
                                    {3: _("The Board of Trustees did not select it this "
                                          "time.")}),
                        _("Not selected by the Board of Trustees."))
    if seen == S.APPROVED:
        state, note = _implementation(getattr(app, "grant", None))
        return Timeline(app, _steps(["done", "done", "done", "done", state],
                                    {3: _("Approved by the Board of Trustees."), 4: note}),
                        note)
    # A status the applicant never sees (seen_status hides them); say nothing more.
    return Timeline(app, _steps(["done", "current", "current", "upcoming", "upcoming"], {}),
                    _("Being assessed."))


def panel(request) -> dict:
    """The organisation's name and its latest applications with their timelines (three
    queries)."""
    apps = list(my_applications_list(request.user).prefetch_related(None)
                .select_related("grant").exclude(status=S.DRAFT)[:PANEL_SIZE])
    return {"timelines": [timeline_of(app) for app in apps],
            "organisation": organisation_of(request.user)}


# --- answers on the organisation's calls -------------------------------------------------


@capability_required("application.create")
def my_questions(request):
    """Answers the secretariat published on the calls the organisation applies to."""
    recent = questions_answered_for(request.user)
    everything = questions_answered_for(request.user, days=None)
    filters = [Filter("answered", gettext_lazy("Answered"),
                      choices=[("recent", gettext_lazy("In the last 30 days"))],
                      apply=lambda qs, value: qs.filter(pk__in=recent.values("pk")))]
    found = listing(request, everything, filters=filters,
                    sorts=[Sort("newest", gettext_lazy("Newest first"), "-published_at")])
    return render(request, "grants/my_questions.html", {"listing": found, "page": found.page})
