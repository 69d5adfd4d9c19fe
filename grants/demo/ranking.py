"""Demo data for ranking: reviewed applications on call 7 (the 2023 call), ready to rank.

Choice: the fund's history stays as it is (call 7, closed and awaiting the Board, keeps the
four applications ``seed_demo`` gives it, withdrawn or screened out before review); the
2023 call's review round is added beside them:
30 applications in review, from the demo NGOs and fictitious ones in 18 countries, each
with two or three submitted reviews by reviewer1 (lenient), reviewer2 (harsh) and
reviewer3 (in between), so that normalisation visibly changes the order. The call gets
the portfolio constraints at most 2 projects per country and 30 % of the envelope for
women and girls, so the recommended portfolio differs from the plain rank cut and the
ranking shows a funding line. Nothing is finalised: that is for the person trying the
demo (secretariat → Ranking → call 7 → Portfolio recommendation → Finalise).

The applications are created directly at "eligible" (like the history: the submission
services rightly refuse a closed call); from there the real services do the rest:
priority confirmation, reviewer assignment, declarations, scores, submission and the
ranking settings, with their audit rows. Idempotent: applications are found by call,
organisation and title, reviews by application and reviewer.

    python manage.py seed_ranking_demo     (after seed_demo; seed_demo calls
                                            ``seed_ranking_demo()`` itself)
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.core.management.base import CommandError
from django.db import transaction

from fundapp.accounts.models import User
from grants.models import (
    Application,
    ApplicationPriority,
    ApplicationStatus,
    BudgetLine,
    Call,
    Organisation,
    OrganisationStatus,
    Review,
    ReviewStatus,
)
from grants.services.ranking import ranking_settings_update
from grants.services.reviews import (
    call_rubric_ensure_defaults,
    review_declare,
    review_save,
    review_submit,
    reviewers_assign,
)
from grants.services.screening import application_priorities_confirm

CALL_NUMBER = 7
SETTINGS = {"max_projects_per_country": 2, "min_women_girls_share": Decimal("30"),
            "normalise_reviews": True, "review_weight": Decimal("0.70")}
BIAS = {"reviewer1": 1, "reviewer2": -1, "reviewer3": 0}  # lenient, harsh, in between
PANELS = [("reviewer1", "reviewer3"), ("reviewer2", "reviewer3"), ("reviewer1", "reviewer2"),
          ("reviewer1", "reviewer2", "reviewer3")]

# Fictitious organisations: (key, name, country, founded, annual budget)
EXTRA_ORGS = [
    ("ke", "Coast Women's Rights Trust", "KE", 2008, "210000"),
    ("ug", "Kampala Survivors' Circle", "UG", 2011, "160000"),
    ("ph", "Bahay Kanlungan Foundation", "PH", 1999, "380000"),
    ("np", "Himalayan Safe Migration Forum", "NP", 2005, "240000"),
    ("gt", "Asociación Puerta Segura", "GT", 2012, "150000"),
    ("mx", "Red Frontera Digna", "MX", 2007, "330000"),
    ("et", "Addis Hope Rehabilitation Centre", "ET", 2010, "200000"),
    ("sn", "Jiggen Xaleyi (Filles d'Avenir)", "SN", 2013, "120000"),
    ("lb", "Cedar Refuge Association", "LB", 2006, "290000"),
    ("iq", "Nineveh Women's Recovery Network", "IQ", 2016, "170000"),
    ("hn", "Casa Alianza del Valle", "HN", 2002, "260000"),
    ("ng2", "Kano Child Protection Initiative", "NG", 2009, "140000"),
]

W, A, M, C, U = "women-girls", "armed-conflict", "mass-movements", "climate-displacement", \
    "underserved"

# (organisation key or ngo username, country, title, USD, claimed, not confirmed, quality,
#  beneficiaries women/girls/men/boys)
APPLICATIONS = [
    ("ngo1", "NG", "Emergency shelter for girls escaping armed groups in Borno", 58000,
     (A, W), (), 4.6, (40, 110, 0, 0)),
    ("ng2", "NG", "Identification of trafficked children in Quranic schools", 42000,
     (U,), (), 4.3, (0, 60, 0, 90)),
    ("ngo1", "NG", "Legal aid for women returned from Libya", 36000, (M, W), (), 4.1,
     (150, 20, 0, 0)),
    ("ng2", "NG", "Community alert network against child trafficking in Kano", 30000, (U,),
     (U,), 3.6, (30, 40, 30, 40)),
    ("ngo3", "UA", "Mobile case managers for displaced women near the front line", 55000,
     (A, M, W), (), 4.5, (220, 40, 0, 0)),
    ("ngo3", "UA", "Hotline and safe transport for evacuees at risk of exploitation", 40000,
     (A, M), (), 4.2, (90, 30, 50, 20)),
    ("ngo4", "CO", "Psychosocial care for Venezuelan survivors in Cúcuta", 48000, (M,), (),
     4.0, (80, 30, 30, 10)),
    ("ngo4", "CO", "Regularisation clinics for migrant survivors", 26000, (M, U), (U,), 3.3,
     (40, 10, 40, 10)),
    ("ngo5", "BD", "Survivors displaced by river erosion in the chars", 38000, (C, U), (),
     4.4, (70, 40, 35, 20)),
    ("ngo5", "BD", "Airport desk for returning migrant workers", 24000, (M,), (M,), 3.0,
     (50, 0, 120, 0)),
    ("ngo6", "TH", "Port inspections with interpreters for trafficked fishers", 52000,
     (U, M), (), 4.2, (10, 0, 150, 20)),
    ("ngo7", "MD", "Reintegration of refugee women exploited in Moldova", 34000, (W, M), (),
     3.9, (120, 15, 0, 0)),
    ("ke", "KE", "Safe houses for women trafficked to the Gulf as domestic workers", 45000,
     (W,), (), 4.0, (140, 10, 0, 0)),
    ("ke", "KE", "Coastal child protection committees", 28000, (U,), (), 3.4,
     (20, 40, 20, 40)),
    ("ug", "UG", "Reintegration grants for girls rescued from sexual exploitation", 32000,
     (W, U), (), 3.8, (0, 85, 0, 0)),
    ("ph", "PH", "Recovery centre for survivors of online sexual exploitation", 60000,
     (W, U), (), 4.7, (10, 120, 0, 30)),
    ("ph", "PH", "Typhoon-affected families: prevention and assistance", 35000, (C,), (),
     3.7, (60, 40, 50, 30)),
    ("np", "NP", "Shelter and legal support for women trafficked to India", 44000,
     (W, U), (U,), 4.1, (130, 30, 0, 0)),
    ("gt", "GT", "Indigenous survivors: interpreters and legal accompaniment", 30000,
     (U,), (), 3.9, (40, 30, 20, 10)),
    ("mx", "MX", "Migrant shelters on the northern border: identification of victims", 57000,
     (M,), (), 4.3, (70, 20, 90, 30)),
    ("mx", "MX", "Women's shelter in Tapachula for survivors in transit", 41000, (M, W), (),
     3.6, (95, 25, 0, 0)),
    ("et", "ET", "Returnees from the Gulf: medical and psychosocial care", 39000, (M,),
     (), 3.5, (110, 0, 40, 0)),
    ("sn", "SN", "Talibé children: identification and family tracing", 27000, (U,), (),
     3.4, (0, 0, 0, 140)),
    ("sn", "SN", "Girls exploited in gold-mining sites of Kédougou", 33000, (W, C), (C,),
     3.7, (10, 70, 0, 0)),
    ("lb", "LB", "Protection of refugee women in domestic work", 50000, (A, M, W), (), 4.0,
     (160, 20, 0, 0)),
    ("iq", "IQ", "Yazidi women and girls: long-term recovery", 59000, (A, W), (), 4.5,
     (120, 80, 0, 0)),
    ("iq", "IQ", "Legal identity documents for survivors in Sinjar", 29000, (A,), (), 3.2,
     (40, 20, 40, 20)),
    ("hn", "HN", "Girls recruited by gangs: shelter and schooling", 46000, (A, W, U), (A,),
     3.8, (0, 90, 0, 30)),
    ("hn", "HN", "Returnee families from the United States: reintegration", 31000, (M,), (),
     3.1, (40, 30, 40, 30)),
    ("ngo6", "TH", "Hill-tribe girls at risk: prevention and shelter", 37000, (W, U), (),
     3.9, (0, 75, 0, 10)),
]


def _organisation(key: str) -> Organisation:
    user = User.objects.filter(username=key).select_related("membership__organisation").first()
    if user is not None:
        return user.membership.organisation
    spec = next(s for s in EXTRA_ORGS if s[0] == key)
    _key, name, country, founded, budget = spec
    org, _created = Organisation.objects.get_or_create(
        name=name, defaults={
            "country": country, "registration_number": f"DEMO-{country}-R{key.upper()}",
            "year_founded": founded, "annual_budget_usd": Decimal(budget),
            "contact_name": "Demo Contact", "contact_email": f"contact-{key}@example.org",
            "address": "(fictitious address)", "psea_declaration": True,
            "track_record": "Fictitious organisation for the ranking demo.",
            "status": OrganisationStatus.VERIFIED})
    return org


def _application(call: Call, row, created: list[str]) -> Application:
    key, country, title, amount, claimed, *_rest, beneficiaries = row
    org = _organisation(key)
    app = Application.objects.filter(call=call, organisation=org, title=title).first()
    if app is not None:
        return app
    call.refresh_from_db(fields=["next_sequence"])
    amount = Decimal(amount)
    women, girls, men, boys = beneficiaries
    app = Application.objects.create(
        call=call, organisation=org, title=title,
        summary=f"{title}. A two-year project of {org.name} offering identification, shelter, "
                "legal and psychosocial assistance to survivors, with follow-up after "
                "reintegration (demo data).",
        countries=[country], requested_usd=amount, duration_months=24,
        start_date=call.closes_at.date() + timedelta(days=150), beneficiaries_women=women,
        beneficiaries_girls=girls, beneficiaries_men=men, beneficiaries_boys=boys,
        services=["identification", "shelter", "legal", "psychological"],
        status=ApplicationStatus.ELIGIBLE, submitted_at=call.closes_at - timedelta(days=4),
        reference=f"VTF{call.number}-{call.next_sequence:04d}")
    Call.objects.filter(pk=call.pk).update(next_sequence=call.next_sequence + 1)
    direct = (amount * Decimal("0.55")).quantize(Decimal("1"))
    BudgetLine.objects.bulk_create([
        BudgetLine(application=app, category="direct_assistance", position=0,
                   description="Shelter, medical care and emergency needs", amount=direct),
        BudgetLine(application=app, category="personnel", position=1,
                   description="Case workers and a lawyer (part time)",
                   amount=amount - direct - Decimal("3000")),
        BudgetLine(application=app, category="monitoring", position=2,
                   description="Follow-up and final evaluation", amount=Decimal("3000")),
    ])
    priorities = {p.code: p for p in call.priorities.all()}
    ApplicationPriority.objects.bulk_create([
        ApplicationPriority(application=app, priority=priorities[code],
                            justification="Explained in the project document.")
        for code in claimed])
    created.append(f"application {app.reference}: {title[:50]}")
    return app


def _scores(criteria, quality: float, bias: int, rng: random.Random) -> dict[str, int]:
    return {c.code: max(1, min(5, round(quality + bias + rng.uniform(-0.7, 0.7))))
            for c in criteria}


def _review(app: Application, reviewer: User, scores: dict) -> None:
    review = Review.objects.get(application=app, reviewer=reviewer)
    if review.status == ReviewStatus.ASSIGNED:
        review = review_declare(actor=reviewer, review=review, conflict=False)
    if review.status == ReviewStatus.DRAFT:
        review = review_save(actor=reviewer, review=review, scores=scores,
                             comment="Demo review.")
        review_submit(actor=reviewer, review=review)


def _reviewed(call, app, row, index, secretariat, reviewers, criteria) -> None:
    if app.status not in (ApplicationStatus.ELIGIBLE, ApplicationStatus.UNDER_REVIEW):
        return  # ranked or recommended since: what people did in the demo stays
    claimed, not_confirmed, quality = row[4], row[5], row[6]
    if app.priority_claims.filter(confirmed__isnull=True).exists():
        application_priorities_confirm(actor=secretariat, application=app, confirmed=[
            code for code in claimed if code not in not_confirmed])
    panel = [reviewers[name] for name in PANELS[index % len(PANELS)]]
    reviewers_assign(actor=secretariat, application=app, reviewers=panel)
    rng = random.Random(f"{call.number}-{index}")
    for reviewer in panel:
        _review(app, reviewer, _scores(criteria, quality, BIAS[reviewer.username], rng))


def seed_ranking_demo() -> list[str]:
    """Add the ranking round to call 7 (see the module docstring); returns what it made."""
    call = Call.objects.filter(number=CALL_NUMBER).first()
    users = {u.username: u for u in User.objects.filter(
        username__in=["secretariat", *BIAS])}
    if call is None or len(users) < 4:
        raise CommandError("Run seed_demo first: call 7, the secretariat and reviewer1-3 "
                           "are needed.")
    created: list[str] = []
    with transaction.atomic():
        secretariat = users["secretariat"]
        criteria = call_rubric_ensure_defaults(call=call, actor=secretariat)
        for index, row in enumerate(APPLICATIONS):
            app = _application(call, row, created)
            _reviewed(call, app, row, index, secretariat, users, criteria)
        if call.max_projects_per_country is None:
            ranking_settings_update(actor=secretariat, call=call, values=SETTINGS)
            created.append("call 7: at most 2 projects per country, 30 % for women and girls")
    return created

