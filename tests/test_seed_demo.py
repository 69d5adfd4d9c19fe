from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from fundapp.accounts.models import User
from fundapp.accounts.roles import Role, roles_of
from fundapp.core.models import AuditEvent
from grants.models import Application, ApplicationStatus, Attachment, Call, CallStatus
from grants.demo.grant_life import TITLE as RUNNING_TITLE
from grants.demo.post_award import PLAN as POST_AWARD_PLAN
from grants.demo.refunds import TITLE as SUSPENDED_TITLE
from tests.seeding import seeded_once

# One seeding for the whole module (tests/seeding.py); the command's own behaviour on an
# empty database is tested in test_seed_demo_command.py.
pytestmark = pytest.mark.django_db

EXPECTED_USERS = {
    "secretariat": Role.SECRETARIAT, "reviewer1": Role.REVIEWER, "reviewer2": Role.REVIEWER,
    "reviewer3": Role.REVIEWER, "chair": Role.BOARD, "trustee1": Role.BOARD,
    "trustee2": Role.BOARD, "trustee3": Role.BOARD, "trustee4": Role.BOARD, "ngo1": Role.NGO,
    "ngo2": Role.NGO, "donor1": Role.DONOR,
}


# The grants of today's demo stories (ngo1's running grant, ngo5's suspended one, the four
# of the secretariat's post-award work): not the fund's history, whose real figures the
# tests below check.
CURRENT_TITLES = [RUNNING_TITLE, SUSPENDED_TITLE, *(plan[1] for plan in POST_AWARD_PLAN)]


def _paid_today():
    """What today's demo stories have been paid (beside the fund's historic 6.7 million)."""
    from django.db.models import Sum

    from grants.models import Disbursement

    return Disbursement.objects.filter(grant__application__title__in=CURRENT_TITLES).aggregate(
        n=Sum("amount_usd"))["n"] or Decimal("0")


demo = seeded_once(lambda: call_command("seed_demo", stdout=StringIO()))


@pytest.fixture
def seeded(demo, settings):
    settings.DEBUG = True
    settings.MEDIA_ROOT = str(demo)


def _counts() -> dict:
    return {model.__name__: model.objects.count()
            for model in (User, Call, Application, Attachment, AuditEvent)}


def test_seed_creates_every_demo_user_with_the_demo_password(seeded, settings):
    for username, role in EXPECTED_USERS.items():
        user = User.objects.get(username=username)
        assert role in roles_of(user)
        assert user.check_password(settings.DEMO_PASSWORD)
        assert user.is_active and user.email_verified
    assert User.objects.get(username="secretariat").is_staff


def test_ngo1_and_ngo2_hold_different_organisations_only_ngo1s_verified(seeded):
    org1 = User.objects.get(username="ngo1").membership.organisation
    org2 = User.objects.get(username="ngo2").membership.organisation
    assert org1 != org2
    assert org1.verified and not org2.verified


def test_ngo2_shows_french_and_a_non_utc_time_zone(seeded):
    ngo2 = User.objects.get(username="ngo2")
    assert ngo2.language == "fr"
    assert ngo2.timezone == "Africa/Abidjan"


def test_calls_one_to_seven_are_history_and_call_eight_is_open(seeded):
    calls = {c.number: c for c in Call.objects.all()}
    assert sorted(calls) == list(range(1, 10))  # 9: a draft cloned from 8 (issue 14)
    for number in range(1, 8):
        assert calls[number].status in (CallStatus.CLOSED, CallStatus.DECIDED,
                                         CallStatus.ARCHIVED)
        assert calls[number].title_fr and calls[number].description_fr
    assert calls[8].is_accepting_submissions()
    assert calls[8].closes_at > timezone.now() + timedelta(days=7)


def test_the_seventh_call_opened_on_27_january_2023_with_its_five_priorities(seeded):
    seventh = Call.objects.get(number=7)
    assert seventh.opens_at.date() == date(2023, 1, 27)
    assert list(seventh.priorities.values_list("code", flat=True)) == [
        "armed-conflict", "mass-movements", "climate-displacement", "women-girls",
        "underserved"]


def test_ngo1_may_still_submit_its_extended_draft_to_the_closed_call_7(seeded):
    from grants.demo.extensions import LATE_DRAFT
    from grants.selectors.applications import application_missing_items
    from grants.selectors.extensions import submission_deadline, submission_open

    app = Application.objects.get(call__number=7, title=LATE_DRAFT.title)
    assert app.organisation == User.objects.get(username="ngo1").membership.organisation
    assert app.call.status == CallStatus.CLOSED and submission_open(app)
    assert submission_deadline(app) > timezone.now() + timedelta(days=7)
    reason = app.extensions.get().reason
    assert "flooded" in reason
    # the flood is dated days before the call's own close (March 2023), not some other year
    assert f"closed on {app.call.closes_at.day} {app.call.closes_at:%B %Y}" in reason
    assert f"{app.call.closes_at:%B %Y}" in reason.split("flooded on ")[1].split(",")[0]
    assert not application_missing_items(app)


def test_call_9_is_a_draft_cloned_from_call_8_opening_next_year(seeded):
    eighth, ninth = Call.objects.get(number=8), Call.objects.get(number=9)
    assert ninth.status == CallStatus.DRAFT
    assert ninth.opens_at.year == timezone.now().year + 1
    assert list(ninth.priorities.values_list("code", "weight")) == list(
        eighth.priorities.values_list("code", "weight"))
    assert ninth.required_documents == eighth.required_documents
    assert AuditEvent.objects.filter(verb="call.clone", target_id=str(ninth.pk),
                                     note="cloned from call 8").exists()


def test_the_open_call_has_weighted_priorities_and_required_documents(seeded):
    call = Call.objects.get(number=8)
    weights = set(call.priorities.values_list("weight", flat=True))
    assert len(weights) > 1
    assert {"registration_certificate", "project_budget"} <= set(call.required_documents)
    assert not call.eligible_countries


def test_submitted_applications_have_references_and_documents(seeded):
    submitted = Application.objects.filter(call__number=8, status=ApplicationStatus.SUBMITTED)
    assert submitted.count() >= 3
    assert len({a.organisation.country.code for a in submitted}) >= 3
    for app in submitted:
        assert app.reference.startswith("VTF8-")
        assert app.attachments.filter(kind="project_budget").exists()
        assert AuditEvent.objects.filter(verb="application.submit",
                                         target_id=str(app.pk)).exists()
    assert Application.objects.filter(call__number=8, status=ApplicationStatus.DRAFT).exists()


def test_attachments_are_real_pdfs(seeded):
    attachment = Attachment.objects.filter(application__call__number=8).first()
    with attachment.file.open("rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF-") and content.rstrip().endswith(b"%%EOF")


def test_running_the_seed_twice_changes_nothing(seeded):
    before = _counts()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert _counts() == before
    assert "nothing to do" in out.getvalue()


# --- One consistent story -------------------------------------------------------------


def _open_session():
    from grants.models import BoardSession, SessionStatus

    return BoardSession.objects.get(call__number=7, status=SessionStatus.OPEN)


def test_the_call_with_the_open_board_session_is_closed_not_decided(seeded):
    session = _open_session()
    assert session.call.status == CallStatus.CLOSED
    decided = Application.objects.filter(call__number=7, status__in=[
        ApplicationStatus.APPROVED, ApplicationStatus.DECLINED])
    assert not decided.exists()


def test_closing_the_board_session_decides_the_call(seeded):
    from grants.demo.board import DEMO_FEEDBACK
    from grants.models import VoteChoice
    from grants.selectors.board import session_overview
    from grants.services.board import board_session_close, board_vote_cast

    session, chair = _open_session(), User.objects.get(username="chair")
    for item in session.items.select_related("application"):
        values = ({"vote": VoteChoice.DECLINE, "feedback": DEMO_FEEDBACK} if item.on_reserve
                  else {"vote": VoteChoice.APPROVE})
        board_vote_cast(actor=chair, session=session, application=item.application, **values)
    overdraws = session_overview(session, chair).budget.overdraws
    board_session_close(actor=chair, session=session,
                        override_reason="Demo: pledges expected." if overdraws else "")
    assert Call.objects.get(number=7).status == CallStatus.DECIDED
    assert Application.objects.filter(call__number=7,
                                      status=ApplicationStatus.APPROVED).exists()


def test_every_organisation_holding_a_grant_or_an_approval_is_verified(seeded):
    from grants.models import Grant, Organisation

    assert Grant.objects.exists()
    holders = Organisation.objects.filter(applications__status=ApplicationStatus.APPROVED)
    assert holders.exists()
    assert not holders.exclude(status="verified").exists()
    assert not Grant.objects.exclude(application__organisation__status="verified").exists()
    ngo2_org = User.objects.get(username="ngo2").membership.organisation
    assert not ngo2_org.applications.filter(grant__isnull=False).exists()


def test_the_ranked_calls_review_progress_shows_its_completed_reviews(seeded, client):
    from django.urls import reverse

    from grants.models import Review, ReviewStatus

    call = Call.objects.get(number=7)
    submitted = Review.objects.filter(application__call=call, status=ReviewStatus.SUBMITTED)
    assert submitted.count() > 30
    assert not call.applications.filter(status__in=["eligible", "under_review"]).exists()
    client.force_login(User.objects.get(username="secretariat"))
    page = client.get(reverse("grants:review-progress", args=[call.pk]))
    assert page.context["page"].paginator.count == 30
    rows = page.context["page"].paginator.object_list
    assert sum(app.n_submitted for app in rows) == submitted.count()
    assert page.content.decode().count(">Submitted</span>") == sum(
        app.n_submitted for app in page.context["page"])
    calls = client.get(reverse("grants:review-calls")).context["page"]
    seventh = next(c for c in calls if c.number == 7)
    assert (seventh.n_eligible, seventh.n_submitted) == (30, submitted.count())


def test_the_home_page_figures_are_the_impact_pages_figures(seeded, client):
    from django.contrib.humanize.templatetags.humanize import intcomma
    from django.urls import reverse

    home = client.get(reverse("home"))
    figures = home.context["figures"]
    impact = client.get(reverse("grants:impact-public")).context["impact"]
    assert (figures.projects, figures.countries, figures.disbursed_usd, figures.first_year) == (
        impact.projects, impact.countries, impact.disbursed_usd, impact.first_year)
    assert figures.victims == impact.victims_per_year[figures.victims_year]
    html = home.content.decode()
    for number in (figures.projects, figures.countries, figures.victims):
        assert f"<dd>{intcomma(number)}</dd>" in html
    millions = f"{figures.disbursed_millions:.1f}"
    assert f"USD {millions} million" in html
    assert "3,500+" not in html and "145+" not in html


def test_the_demo_figures_are_the_funds_real_ones(seeded):
    from grants.selectors.impact import impact

    figures = impact()
    assert 145 <= figures.projects <= 155 and figures.countries == 69
    assert abs(figures.disbursed_usd - _paid_today() - 6_700_000) < 50_000
    assert figures.first_year == 2011
    # The 6th call (2021-2022): its interim reports in 2021, its final ones in 2022.
    assert figures.victims_per_year[2021] > 3500 and figures.victims_per_year[2022] > 3500


def test_the_sanctions_check_of_screened_applications_says_no_list_loaded(seeded):
    from grants.models import Screening, SanctionsList
    from grants.models.screening import CheckState, check_state

    assert not SanctionsList.objects.exists()
    screenings = Screening.objects.filter(application__call__number=7)
    assert screenings.exists()
    for screening in screenings:
        line = next(c for c in screening.checks if c["code"] == "sanctions")
        assert check_state(line) == CheckState.NOT_RUN
        assert "sanctions" not in screening.failed_codes


# --- The history's dates and money ----------------------------------------------------


def test_every_approved_application_of_calls_one_to_six_has_a_grant(seeded):
    from grants.models import Grant, GrantStatus

    approved = Application.objects.filter(call__number__lte=6,
                                          status=ApplicationStatus.APPROVED)
    assert not approved.filter(grant__isnull=True).exists()
    # ngo1's running grant (below) and ngo5's suspended one (grants/demo/refunds.py)
    approved = approved.exclude(title__in=CURRENT_TITLES)
    assert approved.count() == 147
    assert not Grant.objects.filter(call__number__lte=6).exclude(
        application__title__in=CURRENT_TITLES).exclude(
        status=GrantStatus.CLOSED).exists()
    sixth = Grant.objects.filter(call__number=6).select_related("application")
    assert sixth.count() == 24
    assert len({c for g in sixth for c in g.application.countries}) == 19
    assert sum(g.approved_usd for g in sixth) == Call.objects.get(number=6).envelope_usd
    ngo1_org = User.objects.get(username="ngo1").membership.organisation
    assert sixth.get(application__reference="VTF6-0001").application.organisation == ngo1_org
    assert sixth.get(application__reference="VTF6-0002").agreement_number == "VTF-6-002"


def _day(moment):
    from datetime import UTC

    return moment.astimezone(UTC).date()


def test_historic_grants_are_dated_within_their_own_life_and_never_after_today(seeded):
    """Rule: a historic grant is decided after its call's deadline, signed and countersigned
    before its start, paid its 80 % from the start (within its period), reported on, paid
    its last 20 % after the accepted final report and closed after that, all within six
    months of its end and never after today."""
    from grants.demo.impact import CLOSED_WITHIN_MONTHS
    from grants.models import Grant, ReportKind
    from grants.services.awards import add_months

    today = timezone.localdate()
    grants = (Grant.objects.filter(call__number__lte=6)
              .exclude(application__title__in=CURRENT_TITLES)
              .select_related("call", "signature", "closure", "bank_details", "application")
              .prefetch_related("disbursements__tranche", "progress_reports"))
    assert len(grants) == 147
    for grant in grants:
        closes, last_day = _day(grant.call.closes_at), add_months(grant.end_date,
                                                                   CLOSED_WITHIN_MONTHS)
        assert grant.start_date < grant.end_date <= today, grant.agreement_number
        assert _day(grant.application.created_at) <= closes
        assert closes < _day(grant.created_at) <= _day(grant.signature.signed_at)
        assert _day(grant.signature.signed_at) <= _day(grant.signature.countersigned_at)
        assert _day(grant.signature.countersigned_at) <= grant.start_date
        assert _day(grant.bank_details.confirmed_at) <= grant.start_date
        assert _day(grant.bank_details.updated_at) <= grant.start_date
        reports = {r.kind: r for r in grant.progress_reports.all()}
        interim, final = reports[ReportKind.INTERIM], reports[ReportKind.FINAL]
        assert grant.start_date <= _day(interim.submitted_at) <= grant.end_date
        assert _day(interim.created_at) <= _day(interim.submitted_at)
        assert grant.end_date < _day(final.submitted_at) <= _day(final.reviewed_at)
        payments = {d.tranche.position: d for d in grant.disbursements.all()}
        assert sorted(payments) == [1, 2]
        assert grant.start_date <= payments[1].paid_on <= grant.end_date
        assert _day(final.reviewed_at) < payments[2].paid_on
        for payment in payments.values():
            assert _day(payment.recorded_at) == payment.paid_on
        assert sum(p.amount_usd for p in payments.values()) == grant.approved_usd
        closed = _day(grant.closure.closed_at)
        assert payments[2].paid_on <= closed <= min(last_day, today), grant.agreement_number


def test_every_year_with_active_projects_has_payments(seeded, client):
    """2011-2022: each year with projects running paid some of them; the 6th call's grants
    were paid in 2021-2022 only, its 80 % in 2021 and its 20 % in 2022."""
    from grants.models import Disbursement

    for year in range(2011, 2023):
        summary = client.get(f"/api/v1/reports/fund-summary/?year={year}").json()
        assert summary["projects"] > 0 and Decimal(summary["disbursed_usd"]) > 0, year
    sixth = Disbursement.objects.filter(grant__call__number=6)
    assert {d.paid_on.year for d in sixth} == {2021, 2022}
    assert sum(d.amount_usd for d in sixth if d.paid_on.year == 2022) == Decimal("200000.00")
    summary_2023 = client.get("/api/v1/reports/fund-summary/?year=2023").json()
    assert summary_2023["projects"] == 0  # no grant-less approval left running


def test_the_fund_summary_agrees_with_the_impact_dashboard_every_year(seeded, client):
    from django.urls import reverse

    client.force_login(User.objects.get(username="secretariat"))
    impact = client.get(reverse("grants:impact")).context["impact"]
    rows = dict(impact.per_year)
    paid = Decimal("0")
    for year in range(2011, timezone.localdate().year + 1):  # ngo1's grant runs this year
        summary = client.get(f"/api/v1/reports/fund-summary/?year={year}").json()
        row = rows[year]
        assert (summary["projects"], summary["countries"], summary["victims_assisted"]) == (
            row.projects, row.countries, row.victims_assisted), year
        assert Decimal(summary["disbursed_usd"]) == row.disbursed_usd, year
        paid += row.disbursed_usd
    assert paid == impact.disbursed_usd
    assert abs(paid - _paid_today() - 6_700_000) < 50_000
    summary = client.get("/api/v1/reports/fund-summary/?year=2022").json()
    assert (summary["received_usd"], summary["projects"], summary["countries"]) == (
        "1000000.00", 24, 19)
    assert summary["victims_assisted"] > 3500


def test_the_iati_file_has_no_activity_dated_in_the_future(seeded, client):
    from xml.etree import ElementTree

    root = ElementTree.fromstring(client.get("/api/v1/reports/iati/?format=xml").content)
    today = timezone.now().date().isoformat()
    activities = root.findall("iati-activity")
    assert len(activities) >= 147
    # ngo1's running grant and ngo5's suspended one end, and are budgeted, in the years ahead
    done = [a for a in activities
            if a.findtext("title/narrative") not in CURRENT_TITLES]
    assert len(done) == len(activities) - len(CURRENT_TITLES)
    dates = [e.get(a) for act in done for e in act.iter() for a in ("iso-date", "value-date")
             if e.get(a)]
    assert dates and max(dates) <= today
    assert max(a.get("last-updated-datetime") for a in done)[:10] < today


def test_ngo1_holds_an_active_grant_with_its_first_tranche_paid(seeded):
    """Issue 14: a grant of ngo1's is active, paid its first tranche, reports ahead, with a
    budget revision awaiting the secretariat (a no-cost extension can be tried on it)."""
    from grants.models import AmendmentStatus, Grant, GrantStatus

    org = User.objects.get(username="ngo1").membership.organisation
    grant = Grant.objects.get(application__organisation=org, application__title=RUNNING_TITLE)
    assert grant.status == GrantStatus.ACTIVE
    today = timezone.localdate()
    assert grant.start_date < today < grant.end_date
    assert grant.signature.countersigned_at and grant.bank_details.is_confirmed
    payment = grant.disbursements.get()
    assert payment.tranche.position == 1 and payment.paid_on == grant.start_date
    assert min(d.due_date for d in grant.reports_due.all()) > today
    pending = grant.amendments.get(status=AmendmentStatus.REQUESTED)
    assert pending.kind == "budget_revision" and not pending.recorded_only
    assert not grant.amendments.filter(kind="no_cost_extension").exists()
