"""Deadline extensions in the pages: the call's list and form, the application's form, what
the NGO sees, and who may see any of it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.models import ApplicationStatus, CallStatus, DeadlineExtension
from grants.services.extensions import deadline_extend
from tests.factories import CallFactory, OrganisationFactory, complete_application, ngo_user
from tests.queries import queries_for_get

from .conftest import CONFIRMED

pytestmark = pytest.mark.django_db
REASON = "Office flooded in Maiduguri on 28 November; documents lost."
OTHERS = ["ngo", "org_editor", "org_viewer", "other_ngo", "reviewer", "board_member", "donor"]


@pytest.fixture
def org_editor(organisation):
    return ngo_user(organisation, org_role="editor", username="editor")


@pytest.fixture
def org_viewer(organisation):
    return ngo_user(organisation, org_role="viewer", username="viewer")


@pytest.fixture
def closed_call(db):
    now = timezone.now()
    return CallFactory(number=7, opens_at=now - timedelta(days=40),
                       closes_at=now - timedelta(days=1), status=CallStatus.CLOSED)


@pytest.fixture
def late_draft(organisation, closed_call):
    return complete_application(organisation=organisation, call=closed_call,
                                title="Shelter in Maiduguri")


def local(days: float) -> str:
    """A datetime-local field's value, in UTC (the test users' zone)."""
    return (timezone.now() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def extend(secretariat, app, days=3):
    return deadline_extend(actor=secretariat, call=app.call, application=app,
                           until=timezone.now() + timedelta(days=days), reason=REASON)


def test_the_calls_page_lists_its_extensions(login, secretariat, late_draft, closed_call,
                                             other_organisation):
    extend(secretariat, late_draft)
    deadline_extend(actor=secretariat, call=closed_call, organisation=other_organisation,
                    until=timezone.now() + timedelta(days=2), reason="Elections; offices shut.")
    page = login(secretariat).get(reverse("grants:call-extensions", args=[closed_call.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Shelter in Maiduguri" in body and REASON in body
    assert "Other NGO" in body and "All its applications to this call" in body
    assert "Active" in body


def test_the_secretariats_call_detail_shows_the_extensions(login, secretariat, late_draft,
                                                           closed_call):
    extend(secretariat, late_draft)
    body = login(secretariat).get(reverse("grants:call-detail", args=[closed_call.pk])
                                  ).content.decode()
    assert "Deadline extensions" in body and "Shelter in Maiduguri" in body


def test_the_public_call_page_is_unchanged(client, secretariat, late_draft, closed_call):
    extend(secretariat, late_draft)
    body = client.get(reverse("grants:call-detail", args=[closed_call.pk])).content.decode()
    assert "Deadline extensions" not in body and "Shelter in Maiduguri" not in body
    assert "This call no longer accepts applications." in body


def test_the_secretariat_extends_an_organisation_from_the_call(login, secretariat,
                                                               organisation, closed_call):
    response = login(secretariat).post(
        reverse("grants:call-extensions", args=[closed_call.pk]),
        {"organisation": organisation.pk, "until": local(3), "reason": REASON})
    assert response.status_code == 302
    extension = DeadlineExtension.objects.get()
    assert extension.organisation == organisation and extension.application is None


def test_a_past_until_is_shown_next_to_the_field(login, secretariat, organisation,
                                                 closed_call):
    response = login(secretariat).post(
        reverse("grants:call-extensions", args=[closed_call.pk]),
        {"organisation": organisation.pk, "until": local(-3), "reason": REASON})
    assert response.status_code == 400
    assert "after the call&#x27;s closing time" in response.content.decode()
    assert not DeadlineExtension.objects.exists()


def test_the_application_page_has_the_form_and_extends(login, secretariat, late_draft):
    client = login(secretariat)
    detail = client.get(reverse("grants:application-detail", args=[late_draft.pk]))
    assert "Extend the deadline" in detail.content.decode()
    response = client.post(reverse("grants:application-extend", args=[late_draft.pk]),
                           {"until": local(4), "reason": REASON})
    assert response.status_code == 302
    assert response.url == reverse("grants:application-detail", args=[late_draft.pk])
    assert DeadlineExtension.objects.get().application == late_draft


def test_a_missing_reason_is_a_400(login, secretariat, late_draft):
    response = login(secretariat).post(
        reverse("grants:application-extend", args=[late_draft.pk]),
        {"until": local(4), "reason": ""})
    assert response.status_code == 400
    assert not DeadlineExtension.objects.exists()


def test_the_ngo_sees_its_extended_deadline_and_submits(login, secretariat, ngo, late_draft):
    extension = extend(secretariat, late_draft)
    client = login(ngo)
    mine = client.get(reverse("grants:my-applications")).content.decode()
    assert "extended" in mine
    edit = client.get(reverse("grants:application-edit", args=[late_draft.pk])).content.decode()
    assert "extended for you" in edit
    assert f'datetime="{extension.until.isoformat()[:19]}' in edit
    assert "this call no longer accepts submissions" not in edit
    response = client.post(reverse("grants:application-submit", args=[late_draft.pk]),
                           CONFIRMED)
    assert response.status_code == 302
    late_draft.refresh_from_db()
    assert late_draft.status == ApplicationStatus.SUBMITTED


def test_another_organisation_still_sees_the_call_closed(login, secretariat, late_draft,
                                                         other_ngo, other_organisation,
                                                         closed_call):
    extend(secretariat, late_draft)
    theirs = complete_application(organisation=other_organisation, call=closed_call)
    client = login(other_ngo)
    edit = client.get(reverse("grants:application-edit", args=[theirs.pk])).content.decode()
    assert "this call no longer accepts submissions" in edit and "extended" not in edit
    response = client.post(reverse("grants:application-submit", args=[theirs.pk]), CONFIRMED)
    assert response.status_code == 409
    theirs.refresh_from_db()
    assert theirs.status == ApplicationStatus.DRAFT


def test_an_extended_organisation_may_start_from_the_call_page(login, secretariat, ngo,
                                                               organisation, closed_call):
    deadline_extend(actor=secretariat, call=closed_call, organisation=organisation,
                    until=timezone.now() + timedelta(days=3), reason=REASON)
    client = login(ngo)
    body = client.get(reverse("grants:call-detail", args=[closed_call.pk])).content.decode()
    assert "extended your organisation" in body
    response = client.post(reverse("grants:call-apply", args=[closed_call.pk]))
    assert response.status_code == 302
    assert organisation.applications.filter(call=closed_call).exists()


def test_the_secretariat_revokes(login, secretariat, late_draft, closed_call):
    extension = extend(secretariat, late_draft)
    response = login(secretariat).post(reverse("grants:extension-revoke", args=[extension.pk]))
    assert response.status_code == 302
    extension.refresh_from_db()
    assert extension.revoked_at is not None


@pytest.mark.parametrize("who", OTHERS)
def test_nobody_else_reaches_the_extension_pages(request, login, secretariat, who, late_draft,
                                                 closed_call, organisation):
    extension = extend(secretariat, late_draft)
    client = login(request.getfixturevalue(who))
    assert client.get(reverse("grants:call-extensions", args=[closed_call.pk])
                      ).status_code == 403
    assert client.post(reverse("grants:call-extensions", args=[closed_call.pk]), {
        "organisation": organisation.pk, "until": local(3), "reason": REASON}
    ).status_code == 403
    assert client.post(reverse("grants:application-extend", args=[late_draft.pk]), {
        "until": local(3), "reason": REASON}).status_code == 403
    assert client.post(reverse("grants:extension-revoke", args=[extension.pk])
                       ).status_code == 403
    assert DeadlineExtension.objects.filter(revoked_at__isnull=True).count() == 1


def test_the_organisations_members_do_not_see_the_form(login, secretariat, ngo, late_draft):
    body = login(ngo).get(reverse("grants:application-detail", args=[late_draft.pk])
                          ).content.decode()
    assert 'action="/manage/applications/' not in body


def test_anonymous_visitors_are_sent_to_sign_in(client, late_draft, closed_call):
    for url in (reverse("grants:call-extensions", args=[closed_call.pk]),
                reverse("grants:application-extend", args=[late_draft.pk])):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response.url


def test_unknown_objects_are_404_for_the_secretariat(login, secretariat):
    client = login(secretariat)
    assert client.get(reverse("grants:call-extensions", args=[999999])).status_code == 404
    assert client.get(reverse("grants:application-extend", args=[999999])).status_code == 404
    assert client.post(reverse("grants:extension-revoke", args=[999999])).status_code == 404


def test_the_extensions_page_is_flat(login, secretariat, closed_call):
    client = login(secretariat)
    url = reverse("grants:call-extensions", args=[closed_call.pk])

    def add(n):
        for i in range(n):
            organisation = OrganisationFactory()
            if i % 2:
                deadline_extend(actor=secretariat, call=closed_call, organisation=organisation,
                                until=timezone.now() + timedelta(days=3), reason=REASON)
            else:
                app = complete_application(organisation=organisation, call=closed_call)
                deadline_extend(actor=secretariat, call=closed_call, application=app,
                                until=timezone.now() + timedelta(days=3), reason=REASON)

    add(3)
    small = queries_for_get(client, url)
    add(12)
    assert queries_for_get(client, url) == small


def test_my_applications_is_flat_with_extensions(login, secretariat, ngo, organisation,
                                                 closed_call):
    client = login(ngo)
    url = reverse("grants:my-applications")

    def add(n):
        for _ in range(n):
            extend(secretariat, complete_application(organisation=organisation,
                                                     call=closed_call))

    add(2)
    small = queries_for_get(client, url)
    add(6)
    assert queries_for_get(client, url) == small
