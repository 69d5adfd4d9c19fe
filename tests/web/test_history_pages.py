"""The History table (one partial) on the grant page, the report page and the application
page: names, who sees which rows, French, and a query budget that does not grow with rows."""

import pytest

from fundapp.core.audit import audit_record
from grants.services.implementation import report_request_changes, report_submit
from grants.services.messages import message_post
from grants.services.privacy import person_anonymise
from tests.factories import ngo_user
from tests.grants.implementation.helpers import active_grant, due, report_data
from tests.queries import queries_for_get

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(organisation, secretariat):
    secretariat.first_name, secretariat.last_name = "Grace", "Mensah"
    secretariat.save()
    return {"secretariat": secretariat,
            "admin": ngo_user(organisation, username="ada", first_name="Ada",
                              last_name="Obi"),
            "editor": ngo_user(organisation, org_role="editor", username="ed",
                               first_name="Emeka", last_name="Eze"),
            "viewer": ngo_user(organisation, org_role="viewer", username="vi")}


@pytest.fixture
def grant(organisation, people):
    sec = people["secretariat"]
    grant = active_grant(organisation, people["admin"], sec)
    audit_record(actor=sec, verb="grant.tranches", target=grant)
    message_post(actor=sec, grant=grant, body="Please send the receipts.")
    report = report_submit(actor=people["editor"], grant=grant, report_due=due(grant),
                           data=report_data())
    report_request_changes(actor=sec, report=report, comment="Add the receipts.")
    return grant


def history_of(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    html = response.content.decode()
    assert html.count('id="history-h"') == 1, "one History table"
    return html[html.index('id="history-h"'):]


def page(grant) -> str:
    return f"/grants/{grant.pk}/implementation/"


def test_the_secretariat_sees_every_step_with_names(login, grant, people):
    table = history_of(login(people["secretariat"]), page(grant))
    for text in ("Grace Mensah", "Ada Obi", "Emeka Eze", "Agreement accepted",
                 "Agreement countersigned", "Bank details confirmed", "Report submitted",
                 "Changes requested on a report — Add the receipts.", "Message sent",
                 "Tranches set"):
        assert text in table, text


@pytest.mark.parametrize("member", ["admin", "editor", "viewer"])
def test_grantee_members_see_their_steps_and_those_addressed_to_them(login, grant, people,
                                                                     member):
    table = history_of(login(people[member]), page(grant))
    assert "Ada Obi" in table and "Grace Mensah" in table and "Emeka Eze" in table
    assert "Agreement countersigned" in table and "Message sent" in table
    assert "Tranches set" not in table


def test_the_board_sees_the_table_without_messages(login, grant, board_member):
    table = history_of(login(board_member), page(grant))
    assert "Agreement accepted" in table and "Message sent" not in table


def test_another_ngo_gets_a_404(login, grant, other_ngo):
    assert login(other_ngo).get(page(grant)).status_code == 404


def test_a_former_member_is_named_so(login, grant, people):
    person_anonymise(actor=people["secretariat"], user=people["admin"], reason="test")
    for reader in ("secretariat", "viewer"):
        table = history_of(login(people[reader]), page(grant))
        assert "Former member" in table and "Ada Obi" not in table


def test_the_table_in_french(login, grant, people):
    user = people["viewer"]
    user.language = "fr"
    user.save()
    client = login(user)
    html = client.get(page(grant), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Historique" in html and "Auteur" in html


def test_the_report_page_shows_who_submitted_and_reviewed(login, grant, people):
    url = f"/grants/{grant.pk}/reports/{due(grant).pk}/submit/"
    table = history_of(login(people["admin"]), url)
    assert "Version 1 submitted" in table and "Emeka Eze" in table
    assert "Changes requested on version 1 — Add the receipts." in table
    assert "Grace Mensah" in table


def test_the_application_page_uses_the_same_table(login, grant, people):
    app = grant.application
    audit_record(actor=people["editor"], verb="application.update", target=app)
    table = history_of(login(people["viewer"]), f"/applications/{app.pk}/")
    assert "Emeka Eze" in table and "Draft changed" in table


def test_the_application_page_keeps_the_steps_of_a_member_who_left(login, grant, people):
    """A member who closed their account stays in the organisation's trail, as "Former
    member"; the secretariat's own steps on the application stay out of it."""
    app = grant.application
    audit_record(actor=people["editor"], verb="application.update", target=app)
    audit_record(actor=people["secretariat"], verb="application.screen", target=app)
    person_anonymise(actor=people["secretariat"], user=people["editor"], reason="test")
    table = history_of(login(people["viewer"]), f"/applications/{app.pk}/")
    assert "Draft changed" in table and "Former member" in table
    assert "Emeka Eze" not in table and "Eligibility decided" not in table


def test_the_grant_page_costs_the_same_queries_for_few_and_many_steps(login, grant, people):
    for reader in ("secretariat", "admin"):
        client = login(people[reader])
        few = queries_for_get(client, page(grant))
        for n in range(12):
            audit_record(actor=people["editor"], verb="grant.bank_details_set", target=grant)
            audit_record(actor=people["secretariat"], verb="grant.disbursement",
                         target=grant, note=f"payment {n}")
        assert queries_for_get(client, page(grant)) == few


def test_the_reports_victims_are_named_in_the_readers_language(login, grant, people):
    client = login(people["viewer"])
    html = client.get(page(grant)).content.decode()
    assert "Girls 30 · Men 20" in html and "Legal and administrative assistance 45" in html
    assert "girls: 30" not in html and "legal: 45" not in html
    user = people["viewer"]
    user.language = "fr"
    user.save()
    html = login(user).get(page(grant), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Filles 30" in html and "girls" not in html
