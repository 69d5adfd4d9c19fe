"""A small call whose ranking is checked by hand (see ``hand_checked_call``).

Rubric: relevance (weight 2) and feasibility (weight 1); every review gives the same score
on both, so a review's raw score is (score - 1) × 25. Priorities (CallFactory's):
armed-conflict (weight 1) and women-girls (weight 2).

    app  country  request  reviewer      raw  confirmed priorities     priority score
    A    NG       40,000   lenient (5s)  100  none                      0.00
    B    KE       30,000   lenient (4s)   75  both                    100.00
    C    NG       50,000   harsh (3s)     50  women-girls              66.67
    D    KE       20,000   harsh (2s)     25  armed-conflict           33.33
    E    UG       25,000   (no submitted review)

Normalisation: the lenient reviewer has mean 87.5 and spread 12.5, the harsh one 37.5
and 12.5, so A and C get z = +1, B and D z = -1. The pooled mean of the four raw scores
is 62.5 and their spread sqrt(781.25) = 27.95, so A and C are normalised to 90.45 and
B and D to 34.55. With the review weight 0.70:

    normalised: C 0.7×90.45 + 0.3×66.67 = 83.32; A 63.32; B 0.7×34.55 + 30 = 54.19;
                D 0.7×34.55 + 0.3×33.33 = 34.18            → C, A, B, D
    raw:        B 0.7×75 + 30 = 82.50; A 70.00; C 0.7×50 + 20.00 = 55.00;
                D 0.7×25 + 10.00 = 27.50                    → B, A, C, D

Envelope USD 100,000: in normalised rank order C (50,000) and A (90,000 cumulative) are
above the funding line, B would reach 120,000. The best portfolio is C + B + D
(171.69 points, USD 100,000) against the rank cut C + A (146.64): +25.05.
"""

from decimal import Decimal

from django.utils import timezone

from grants.models import (
    Application,
    ApplicationPriority,
    ApplicationStatus,
    CallStatus,
    ReviewCriterion,
    ReviewStatus,
)
from tests.factories import CallFactory
from tests.grants.reviews.helpers import assign, eligible_application, make_reviewer, scored

SPECS = [  # key, country, request, reviewer, score, confirmed codes
    ("A", "NG", "40000", "lenient", 5, ()),
    ("B", "KE", "30000", "lenient", 4, ("armed-conflict", "women-girls")),
    ("C", "NG", "50000", "harsh", 3, ("women-girls",)),
    ("D", "KE", "20000", "harsh", 2, ("armed-conflict",)),
]


def closed_call(**fields):
    now = timezone.now()
    values = {"status": CallStatus.CLOSED, "opens_at": now - timezone.timedelta(days=60),
              "closes_at": now - timezone.timedelta(days=30),
              "envelope_usd": Decimal("100000.00")} | fields
    return CallFactory(**values)


def rubric(call):
    ReviewCriterion.objects.create(call=call, code="relevance", name_en="Relevance",
                                   weight=Decimal("2"), position=0)
    ReviewCriterion.objects.create(call=call, code="feasibility", name_en="Feasibility",
                                   weight=Decimal("1"), position=1)


def claim(app, confirmed=(), claimed=("armed-conflict", "women-girls")):
    ApplicationPriority.objects.filter(application=app).delete()
    for priority in app.call.priorities.all():
        if priority.code in claimed:
            ApplicationPriority.objects.create(application=app, priority=priority,
                                               justification="Yes.",
                                               confirmed=priority.code in confirmed)


def eligible_with_request(call, requested, **fields):
    """An eligible application asking for ``requested`` (its budget lines are the default
    USD 50,000: ranking does not read them)."""
    app = eligible_application(call=call, **{k: v for k, v in fields.items() if v is not None})
    Application.objects.filter(pk=app.pk).update(requested_usd=Decimal(requested))
    app.refresh_from_db()
    return app


def reviewed(call, reviewer, score, *, country="NG", requested="40000", confirmed=(),
             title=None, organisation=None):
    app = eligible_with_request(call, requested, countries=[country], title=title,
                                organisation=organisation)
    claim(app, confirmed)
    review = assign(app, reviewer, status=ReviewStatus.DRAFT)
    scored(review, {"relevance": score, "feasibility": score}, submitted=True)
    return app


def many_reviewed(call, n=25):
    """``n`` more reviewed applications of USD 20,000 to ``call``, by three new reviewers,
    scores 1 to 5 in turn, every other one with women-girls confirmed (for the tests that
    keep the ranking's query count flat)."""
    reviewers = [make_reviewer() for _ in range(3)]
    for i in range(n):
        reviewed(call, reviewers[i % 3], 1 + i % 5, requested="20000",
                 confirmed=("women-girls",) if i % 2 else ())


def hand_checked_call(prefix="", **fields):
    """The call of the module docstring; returns (call, {key: application})."""
    call = closed_call(**fields)
    rubric(call)
    reviewers = {who: make_reviewer(prefix + who) for who in ("lenient", "harsh")}
    apps = {}
    for key, country, request, who, score, confirmed in SPECS:
        apps[key] = reviewed(call, reviewers[who], score, country=country, requested=request,
                             confirmed=confirmed, title=f"Project {key}")
    apps["E"] = eligible_with_request(call, "25000", countries=["UG"], title="Project E")
    assign(apps["E"], reviewers["harsh"], status=ReviewStatus.DRAFT)
    for app in apps.values():
        app.refresh_from_db()
    assert apps["A"].status == ApplicationStatus.UNDER_REVIEW
    return call, apps
