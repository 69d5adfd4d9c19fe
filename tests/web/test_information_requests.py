"""Pages of requests for information: the secretariat's form (every role), the open request
on the application page and the NGO's list, answering through the edit page and its submit
button, the before/after table, and the list page's query budget."""

import itertools
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.models import ApplicationStatus, InformationRequest
from grants.services.information import information_request
from tests.factories import complete_application, ngo_user
from tests.queries import queries_for_get

from .conftest import CONFIRMED

pytestmark = pytest.mark.django_db


def in_days(n):
    return timezone.localdate() + timedelta(days=n)


REFERENCES = itertools.count(100)


def submitted_application(organisation, call):
    return complete_application(organisation=organisation, call=call, status="submitted",
                                submitted_at=timezone.now(),
                                reference=f"VTF1-{next(REFERENCES):04d}")


@pytest.fixture
def app(organisation, open_call, ngo):
    app = submitted_application(organisation, open_call)
    app.reference = "VTF1-0001"
    app.save()
    return app


@pytest.fixture
def asked(app, secretariat):
    information_request(actor=secretariat, application=app, due_on=in_days(7),
                        message="Please upload the 2025 audited financial statements.")
    return app


@pytest.fixture
def viewer(organisation):
    return ngo_user(organisation, org_role="viewer", username="viewer")


def form_url(app):
    return reverse("grants:information-request", args=[app.pk])


@pytest.mark.parametrize("role, code", [("ngo", 403), ("other_ngo", 403), ("reviewer", 403),
                                        ("board_member", 403), ("donor", 403),
                                        ("secretariat", 200)])
def test_only_the_secretariat_opens_the_form(login, request, app, role, code):
    response = login(request.getfixturevalue(role)).get(form_url(app))
    assert response.status_code == code


def test_anonymous_visitors_are_sent_to_sign_in(client, app):
    response = client.get(form_url(app))
    assert response.status_code in (302, 403)
    app.refresh_from_db()
    assert app.status == ApplicationStatus.SUBMITTED


def test_the_secretariat_asks_and_the_application_reopens(as_secretariat, app):
    response = as_secretariat.post(form_url(app), {
        "message": "Explain the shelter rent line.", "due_on": in_days(10).isoformat()})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == ApplicationStatus.INFORMATION_REQUESTED
    page = as_secretariat.get(reverse("grants:application-detail", args=[app.pk]))
    assert "Explain the shelter rent line." in page.content.decode()


def test_a_past_due_date_is_refused_on_the_form(as_secretariat, app):
    response = as_secretariat.post(form_url(app), {"message": "x",
                                                   "due_on": in_days(-1).isoformat()})
    assert response.status_code == 400
    assert "must be in the future" in response.content.decode()


def test_a_second_request_is_refused_on_the_form(as_secretariat, asked):
    response = as_secretariat.post(form_url(asked), {"message": "x",
                                                     "due_on": in_days(3).isoformat()})
    assert response.status_code == 400
    assert InformationRequest.objects.count() == 1


def test_the_ngo_sees_the_request_on_its_page_and_in_its_list(as_ngo, asked):
    detail = as_ngo.get(reverse("grants:application-detail", args=[asked.pk])).content.decode()
    assert "Please upload the 2025 audited financial statements." in detail
    assert reverse("grants:application-edit", args=[asked.pk]) in detail
    listing = as_ngo.get(reverse("grants:my-applications")).content.decode()
    assert "Information requested" in listing and "answer by" in listing


def test_the_overdue_flag_shows(login, ngo, secretariat, asked):
    InformationRequest.objects.update(due_on=in_days(-2))
    listing = login(ngo).get(reverse("grants:my-applications")).content.decode()
    assert "badge-overdue" in listing
    detail = login(secretariat).get(reverse("grants:application-detail", args=[asked.pk]))
    assert "badge-overdue" in detail.content.decode()


def test_a_viewer_reads_the_request_but_may_not_edit(login, viewer, asked):
    client = login(viewer)
    assert "Please upload" in client.get(
        reverse("grants:application-detail", args=[asked.pk])).content.decode()
    assert client.get(reverse("grants:application-edit", args=[asked.pk])).status_code == 403


def test_reviewers_never_see_the_request(login, reviewer, asked):
    from grants.models import Review

    Review.objects.create(application=asked, reviewer=reviewer, conflict_declared=False)
    page = login(reviewer).get(reverse("grants:application-detail", args=[asked.pk]))
    assert page.status_code == 200
    assert "Please upload the 2025" not in page.content.decode()


def test_answering_through_the_edit_page_and_resubmitting(as_ngo, login, secretariat, asked):
    edit = as_ngo.get(reverse("grants:application-edit", args=[asked.pk]))
    assert edit.status_code == 200
    assert "Resubmit the application" in edit.content.decode()
    as_ngo.post(reverse("grants:application-autosave", args=[asked.pk]),
                _post_of(asked, title="Safe homes for survivors"))
    done = as_ngo.post(reverse("grants:application-submit", args=[asked.pk]), CONFIRMED)
    assert done.status_code == 302
    asked.refresh_from_db()
    assert asked.status == ApplicationStatus.SUBMITTED and asked.reference == "VTF1-0001"
    page = login(secretariat).get(reverse("grants:application-detail", args=[asked.pk]))
    html = page.content.decode()
    assert "Information provided on" in html
    assert "Safe homes for survivors" in html and "<th scope=\"row\">Project title</th>" in html


def test_the_call_deadline_does_not_block_the_answer_on_the_page(as_ngo, asked):
    asked.call.closes_at = timezone.now() - timedelta(days=1)
    asked.call.save()
    edit = as_ngo.get(reverse("grants:application-edit", args=[asked.pk])).content.decode()
    assert "no longer accepts submissions" not in edit
    done = as_ngo.post(reverse("grants:application-submit", args=[asked.pk]), CONFIRMED)
    assert done.status_code == 302
    asked.refresh_from_db()
    assert asked.status == ApplicationStatus.SUBMITTED


def _post_of(app, **changes):
    from .conftest import draft_post

    lines = [(line.category, line.description, str(line.amount))
             for line in app.budget_lines.all()]
    claims = {c.priority.code: c.justification for c in app.priority_claims.all()}
    fields = {"title": app.title, "summary": app.summary, "countries": ["NG"],
              "requested_usd": str(app.requested_usd), "duration_months": "12",
              "start_date": app.start_date.isoformat(), "services": app.services,
              "beneficiaries_women": "40", "beneficiaries_girls": "25",
              "beneficiaries_men": "0", "beneficiaries_boys": "0"} | changes
    return draft_post(lines=lines, priorities=claims, **fields)


def test_my_applications_stays_flat_with_open_requests(as_ngo, organisation, open_call,
                                                       secretariat):
    def add(n):
        for _ in range(n):
            app = submitted_application(organisation, open_call)
            information_request(actor=secretariat, application=app, message="More.",
                                due_on=in_days(4))

    add(2)
    few = queries_for_get(as_ngo, reverse("grants:my-applications"))
    add(10)
    assert queries_for_get(as_ngo, reverse("grants:my-applications")) == few <= 15
