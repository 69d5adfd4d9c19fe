"""What each organisation role may do on the organisation's work: admins and editors draft
and submit, viewers only read (403 on edits, page and API alike); only admins sign."""

import pytest

from fundapp.core.audit import audit_trail_for
from fundapp.core.errors import NotAllowed
from grants.models import Application, ApplicationStatus, OrgRole
from grants.services.applications import application_create, application_update
from grants.services.implementation import agreement_accept, agreement_decline
from tests.factories import ApplicationFactory, ngo_user
from tests.grants.implementation.helpers import make_grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(organisation, open_call):
    return ApplicationFactory(organisation=organisation, call=open_call)


@pytest.fixture
def grant(organisation):
    return make_grant(organisation)


def test_an_editor_drafts_and_the_audit_names_the_person(editor, open_call):
    app = application_create(actor=editor, call=open_call, values={"title": "Safe homes"})
    application_update(actor=editor, application=app, values={"summary": "Legal aid."})
    actors = {e.actor for e in audit_trail_for(app)}
    assert actors == {editor}


def test_a_viewer_can_neither_start_nor_change_a_draft(viewer, draft, open_call):
    with pytest.raises(NotAllowed, match="viewer"):
        application_create(actor=viewer, call=open_call)
    with pytest.raises(NotAllowed):
        application_update(actor=viewer, application=draft, values={"title": "Changed"})
    draft.refresh_from_db()
    assert draft.title != "Changed"


@pytest.mark.parametrize("who,expected", [
    ("admin", 200), ("editor", 200), ("viewer", 403), ("outsider", 404), ("removed", 404)])
def test_changing_a_draft_through_the_api(who, expected, request, api_as, draft):
    response = api_as(request.getfixturevalue(who)).patch(
        f"/api/v1/applications/{draft.pk}/", {"title": "Changed"}, format="json")
    assert response.status_code == expected, response.content[:200]
    draft.refresh_from_db()
    assert (draft.title == "Changed") == (expected == 200)


@pytest.mark.parametrize("who,expected", [
    ("admin", 200), ("editor", 200), ("viewer", 200), ("outsider", 404), ("removed", 404)])
def test_every_member_reads_the_organisations_applications(who, expected, request, api_as,
                                                           draft):
    response = api_as(request.getfixturevalue(who)).get(f"/api/v1/applications/{draft.pk}/")
    assert response.status_code == expected


@pytest.mark.parametrize("who,expected", [("editor", 200), ("viewer", 403)])
def test_the_edit_page_is_refused_to_a_viewer(who, expected, request, login, draft):
    response = login(request.getfixturevalue(who)).get(f"/applications/{draft.pk}/edit/")
    assert response.status_code == expected


def test_a_viewer_sees_the_draft_without_an_edit_button(viewer, editor, login, draft):
    page = login(viewer).get(f"/applications/{draft.pk}/")
    assert page.status_code == 200
    assert f"/applications/{draft.pk}/edit/" not in page.content.decode()
    page = login(editor).get(f"/applications/{draft.pk}/")
    assert f"/applications/{draft.pk}/edit/" in page.content.decode()


def test_a_viewers_list_offers_view_not_continue(viewer, login, draft):
    page = login(viewer).get("/my/applications/").content.decode()
    assert f"/applications/{draft.pk}/edit/" not in page


def test_a_viewer_is_offered_no_apply_button(viewer, editor, login, open_call):
    apply_url = f"/calls/{open_call.pk}/apply/"
    assert apply_url not in login(viewer).get(f"/calls/{open_call.pk}/").content.decode()
    assert apply_url in login(editor).get(f"/calls/{open_call.pk}/").content.decode()
    assert apply_url not in login(viewer).get("/my/applications/").content.decode()
    assert apply_url in login(editor).get("/my/applications/").content.decode()
    assert not Application.objects.filter(call=open_call).exists()


def test_only_an_admin_signs_the_agreement(admin, editor, viewer, grant):
    for actor in (editor, viewer):
        with pytest.raises(NotAllowed):
            agreement_accept(actor=actor, grant=grant, signatory_name="Chidi Eze",
                             signatory_title="Programme officer")
        with pytest.raises(NotAllowed):
            agreement_decline(actor=actor, grant=grant, reason="No.")
    signature = agreement_accept(actor=admin, grant=grant, signatory_name="Amaka Okafor",
                                 signatory_title="Director")
    assert signature.signed_by == admin
    event = [e for e in audit_trail_for(grant) if e.verb == "grant.agreement_accept"][0]
    assert event.actor == admin


@pytest.mark.parametrize("who,expected", [("editor", 403), ("viewer", 403), ("admin", 204)])
def test_signing_through_the_api_is_for_admins(who, expected, request, api_as, grant):
    response = api_as(request.getfixturevalue(who)).post(
        f"/api/v1/grants/{grant.pk}/agreement/sign/",
        {"signatory_name": "A. Person", "signatory_title": "Director"}, format="json")
    assert response.status_code == expected, response.content[:200]


def test_the_grant_page_shows_the_signing_form_to_admins_only(admin, editor, login, grant):
    sign = f"/grants/{grant.pk}/agreement/sign/"
    assert sign in login(admin).get(f"/grants/{grant.pk}/implementation/").content.decode()
    page = login(editor).get(f"/grants/{grant.pk}/implementation/")
    assert page.status_code == 200 and sign not in page.content.decode()


def test_a_viewer_cannot_withdraw(viewer, api_as, organisation, open_call):
    app = ApplicationFactory(organisation=organisation, call=open_call,
                             status=ApplicationStatus.SUBMITTED, reference="VTF1-0001")
    response = api_as(viewer).post(f"/api/v1/applications/{app.pk}/withdraw/",
                                   {"reason": "Changed plans"}, format="json")
    assert response.status_code == 403
    app.refresh_from_db()
    assert app.status == ApplicationStatus.SUBMITTED


def test_a_new_editor_through_an_invitation_drafts(admin, organisation, open_call):
    newcomer = ngo_user(organisation, org_role=OrgRole.EDITOR, username="newcomer")
    app = application_create(actor=newcomer, call=open_call)
    assert (app.organisation, app.created_by) == (organisation, newcomer)


def test_the_applications_history_names_the_member_who_acted(editor, viewer, secretariat,
                                                             login, draft):
    application_update(actor=editor, application=draft, values={"title": "Safe homes"})
    for reader in (viewer, secretariat):
        html = login(reader).get(f"/applications/{draft.pk}/").content.decode()
        history = html[html.index('id="history-h"'):]
        assert "Chidi Eze" in history and "Draft changed" in history


def test_the_applicants_history_shows_only_its_own_peoples_steps(editor, viewer, secretariat,
                                                                 login, draft):
    """Screening, review and recommendation steps would name the secretariat's and the
    reviewers' work and hint at the decision: only the secretariat sees them."""
    from fundapp.core.audit import audit_record

    application_update(actor=editor, application=draft, values={"title": "Safe homes"})
    audit_record(actor=secretariat, verb="application.recommend", target=draft,
                 note="Recommended for funding")
    applicant = login(viewer).get(f"/applications/{draft.pk}/").content.decode()
    applicant = applicant[applicant.index('id="history-h"'):]
    assert "Draft changed" in applicant
    assert "Recommendation recorded" not in applicant
    assert "Recommended for funding" not in applicant
    staff = login(secretariat).get(f"/applications/{draft.pk}/").content.decode()
    assert "Recommendation recorded" in staff[staff.index('id="history-h"'):]
