"""Until the Board session that decides it has closed, an applicant sees its application as
submitted → under review → decision: no ranking, recommendation or score, in pages, API,
e-mails or exports. The secretariat keeps seeing the real status."""

import json
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from fundapp.notifications.models import Notification
from grants.models import ApplicationStatus
from grants.services.board import board_session_close, board_vote_cast
from tests.factories import ngo_user
from tests.grants.board.helpers import meeting, recommended_call, vote_all

pytestmark = pytest.mark.django_db

LEAKS = re.compile(r"recommend|\branked?\b|ranking|\bscores?\b|funding line", re.IGNORECASE)
HIDDEN = [ApplicationStatus.SCREENING, ApplicationStatus.ELIGIBLE,
          ApplicationStatus.UNDER_REVIEW, ApplicationStatus.RANKED,
          ApplicationStatus.RECOMMENDED, ApplicationStatus.NOT_RECOMMENDED]


@pytest.fixture
def decided_call(organisation):
    """Two included applications of ``organisation`` and one on the reserve list."""
    return recommended_call(organisation=organisation)


@pytest.fixture
def app(decided_call):
    return decided_call.applications.order_by("requested_usd").last()


@pytest.fixture
def applicant(app):
    return ngo_user(app.organisation, username="applicant")


def page(client, user, name, *args):
    client.force_login(user)
    response = client.get(reverse(f"grants:{name}", args=args))
    assert response.status_code == 200
    return response.content.decode()


def leaks(text: str) -> list[str]:
    return LEAKS.findall(text)


def set_status(app, status):
    app.status = status
    app.save(update_fields=["status"])


@pytest.mark.parametrize("status", HIDDEN)
def test_the_applicants_pages_say_under_review_and_nothing_more(client, app, applicant,
                                                                status):
    set_status(app, status)
    for html in (page(client, applicant, "my-applications"),
                 page(client, applicant, "application-detail", app.pk)):
        assert "Under review" in html
        assert f"badge-{status}" not in html or status == ApplicationStatus.UNDER_REVIEW
        assert leaks(html) == []


@pytest.mark.parametrize("status", HIDDEN)
def test_the_call_page_lists_the_applicants_application_as_under_review(client, app,
                                                                         applicant, status):
    set_status(app, status)
    html = page(client, applicant, "call-detail", app.call_id)
    section = html.split('id="yours"', 1)[1].split("</section>", 1)[0]
    assert app.reference in section and "Under review" in section
    assert leaks(section) == []


@pytest.mark.parametrize("status", HIDDEN)
def test_the_api_gives_the_applicant_under_review(api_as, app, applicant, status):
    set_status(app, status)
    client = api_as(applicant)
    detail = client.get(f"/api/v1/applications/{app.pk}/")
    assert detail.status_code == 200
    assert detail.json()["status"] == "under_review"
    assert detail.json()["board_decision"] is None
    listed = client.get("/api/v1/applications/").json()["results"]
    assert {row["status"] for row in listed} == {"under_review"}
    for response in (detail, client.get("/api/v1/applications/")):
        assert leaks(json.dumps(response.json())) == []


@pytest.mark.parametrize("status", HIDDEN)
def test_the_applicant_cannot_probe_hidden_statuses_with_the_filter(api_as, app, applicant,
                                                                    status):
    set_status(app, status)
    client = api_as(applicant)
    for hidden in ("ranked", "recommended", "not_recommended", "screening", "eligible"):
        response = client.get(f"/api/v1/applications/?status={hidden}")
        assert response.status_code == 200
        assert response.json()["count"] == 0, hidden
    shown = client.get("/api/v1/applications/?status=under_review").json()
    assert app.pk in {row["id"] for row in shown["results"]}


def test_ordering_by_status_orders_by_what_the_applicant_sees(api_as, decided_call,
                                                              applicant, organisation):
    """Recommended and not recommended applications must not sort apart for the applicant."""
    from tests.factories import ApplicationFactory

    ApplicationFactory(call=decided_call, organisation=organisation,
                       status=ApplicationStatus.SUBMITTED, reference="VTF9-S0001")
    client = api_as(applicant)
    for ordering in ("status", "-status"):
        rows = client.get(f"/api/v1/applications/?ordering={ordering},id").json()["results"]
        statuses = [r["status"] for r in rows]
        assert sorted(statuses, reverse=ordering.startswith("-")) == statuses
        review = [r["id"] for r in rows if r["status"] == "under_review"]
        assert review == sorted(review)


def test_the_secretariat_still_sees_the_real_status(client, api_as, app, applicant,
                                                    secretariat):
    assert app.status == ApplicationStatus.RECOMMENDED
    api = api_as(secretariat)
    assert api.get(f"/api/v1/applications/{app.pk}/").json()["status"] == "recommended"
    filtered = api.get("/api/v1/applications/?status=recommended").json()
    assert app.pk in {row["id"] for row in filtered["results"]}
    assert "Recommended" in page(client, secretariat, "application-detail", app.pk)


def test_the_board_still_sees_the_real_status(api_as, app, board_member):
    response = api_as(board_member).get(f"/api/v1/applications/{app.pk}/")
    assert response.json()["status"] == "recommended"


def test_the_applicant_gets_no_ranking_export_or_briefing_pack(client, api_as, app,
                                                               applicant):
    client.force_login(applicant)
    call = app.call_id
    for url in (reverse("grants:ranking-export", args=[call, "csv"]),
                reverse("grants:ranking-export", args=[call, "xlsx"]),
                reverse("grants:portfolio-export", args=[call, "pdf"]),
                reverse("grants:ranking", args=[call]),
                reverse("grants:portfolio", args=[call])):
        assert client.get(url).status_code in (403, 404), url
    api = api_as(applicant)
    for url in (f"/api/v1/calls/{call}/ranking/", f"/api/v1/calls/{call}/portfolio/"):
        assert api.get(url).status_code in (403, 404), url


def test_no_decision_shows_while_the_session_is_open(client, api_as, decided_call, app,
                                                     applicant, secretariat, board):
    """Every trustee has voted, but nothing is decided before the Chair closes."""
    chair, members = board
    session = meeting(decided_call, secretariat)
    vote_all(session, [chair, *members], conditions="Quarterly narrative reports.")
    app.refresh_from_db()
    assert app.status == ApplicationStatus.RECOMMENDED
    html = page(client, applicant, "application-detail", app.pk)
    assert "Under review" in html and "Approved" not in html and leaks(html) == []
    assert "Quarterly narrative reports" not in html
    detail = api_as(applicant).get(f"/api/v1/applications/{app.pk}/").json()
    assert detail["status"] == "under_review" and detail["board_decision"] is None
    client.force_login(applicant)
    assert client.get(reverse("grants:decision-letter", args=[app.pk])).status_code == 404
    assert not Notification.objects.filter(recipient=applicant).exists()


def test_after_closing_the_applicant_sees_the_approval_amount_and_conditions(
        client, api_as, decided_call, app, applicant, secretariat, board):
    chair, members = board
    session = meeting(decided_call, secretariat)
    item = session.items.get(application=app)
    vote_all(session, [chair, *members])
    for voter in [chair, *members]:
        board_vote_cast(actor=voter, session=session, application=app, vote="approve",
                        amount_usd=Decimal("45000.00"),
                        conditions="Quarterly narrative reports.")
    board_session_close(actor=chair, session=session)
    item.refresh_from_db()
    assert item.decision == "approved"

    html = page(client, applicant, "application-detail", app.pk)
    assert "Approved" in html and "The Board's decision" in html
    assert "45,000.00" in html and "Quarterly narrative reports." in html
    assert leaks(html) == []
    detail = api_as(applicant).get(f"/api/v1/applications/{app.pk}/").json()
    assert detail["status"] == "approved"
    assert detail["board_decision"]["decision"] == "approved"
    assert detail["board_decision"]["approved_usd"] == "45000.00"
    assert detail["board_decision"]["conditions"] == "Quarterly narrative reports."
    assert leaks(json.dumps(detail)) == []


def test_after_closing_the_applicant_sees_the_decline_and_its_feedback(
        client, api_as, decided_call, app, applicant, secretariat, board,
        django_capture_on_commit_callbacks):
    chair, members = board
    session = meeting(decided_call, secretariat)
    for voter in [chair, *members]:
        board_vote_cast(actor=voter, session=session, application=app, vote="decline",
                        feedback="The budget for shelter is not justified.")
    with django_capture_on_commit_callbacks(execute=True):
        board_session_close(actor=chair, session=session)

    html = page(client, applicant, "application-detail", app.pk)
    assert "Declined" in html and "The budget for shelter is not justified." in html
    assert leaks(html) == []
    detail = api_as(applicant).get(f"/api/v1/applications/{app.pk}/").json()
    assert detail["status"] == "declined"
    assert detail["board_decision"]["feedback"] == "The budget for shelter is not justified."
    assert api_as(applicant).get("/api/v1/applications/?status=declined").json()["count"] == 1

    kinds = set(Notification.objects.filter(recipient=applicant).values_list("kind", flat=True))
    assert kinds == {"board_decision"}
    sent = [m for m in mail.outbox if applicant.email in m.to]
    assert sent
    for message in sent:
        bodies = [message.body, *(c for c, _t in getattr(message, "alternatives", []))]
        assert all(leaks(b) == [] for b in bodies)


def test_ineligible_stays_visible_to_the_applicant(client, api_as, app, applicant):
    set_status(app, ApplicationStatus.INELIGIBLE)
    assert api_as(applicant).get(f"/api/v1/applications/{app.pk}/").json()["status"] == \
        "ineligible"
    assert "Ineligible" in page(client, applicant, "application-detail", app.pk)
