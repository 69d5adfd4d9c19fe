"""Who did what on a grant and on its reports, by name (issue 13): grant_history_for and
report_history_for, and who sees which rows."""

import pytest
from django.utils import translation
from django.utils.functional import Promise

from fundapp.accounts.display import FORMER_MEMBER, person_name
from fundapp.core.audit import audit_record
from grants.models import ProgressReport
from grants.selectors.applications import HISTORY_LABELS
from grants.selectors.history import (
    GRANT_HISTORY_LABELS,
    grant_history_for,
    report_history_for,
)
from grants.services.implementation import report_request_changes, report_submit
from grants.services.messages import message_post
from grants.services.privacy import person_anonymise
from tests.factories import ngo_user
from tests.grants.implementation.helpers import active_grant, due, report_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(organisation, secretariat):
    secretariat.first_name, secretariat.last_name = "Grace", "Mensah"
    secretariat.save()
    admin = ngo_user(organisation, username="ada", first_name="Ada", last_name="Obi")
    return {"secretariat": secretariat, "admin": admin,
            "editor": ngo_user(organisation, org_role="editor", username="ed"),
            "viewer": ngo_user(organisation, org_role="viewer", username="vi")}


@pytest.fixture
def grant(organisation, people):
    sec, admin = people["secretariat"], people["admin"]
    grant = active_grant(organisation, admin, sec)
    # the secretariat's set-up step before the agreement, and a message on the thread
    audit_record(actor=sec, verb="grant.tranches", target=grant)
    message_post(actor=sec, grant=grant, body="Please send the receipts.")
    report = report_submit(actor=people["editor"], grant=grant, report_due=due(grant),
                           data=report_data())
    report_request_changes(actor=sec, report=report, comment="Add the receipts.")
    return grant


def verbs(rows):
    return [row.verb for row in rows]


def test_the_secretariat_sees_every_step_newest_first_by_name(grant, people):
    rows = grant_history_for(people["secretariat"], grant)
    assert verbs(rows) == [
        "grant.report_changes", "grant.report_submit", "message.post", "grant.tranches",
        "grant.bank_details_confirm", "grant.bank_details_set",
        "grant.agreement_countersign", "grant.agreement_accept"]
    assert rows[0].actor.get_full_name() == "Grace Mensah"
    assert rows[0].note == "Add the receipts."
    assert rows[-1].actor == people["admin"]
    assert str(rows[-1].label) == "Agreement accepted"
    assert str(rows[0].label) == "Changes requested on a report"


@pytest.mark.parametrize("member", ["admin", "editor", "viewer"])
def test_grantee_members_see_their_steps_and_those_addressed_to_them(grant, people, member):
    seen = verbs(grant_history_for(people[member], grant))
    assert "grant.tranches" not in seen  # the secretariat's own set-up step
    assert seen == [
        "grant.report_changes", "grant.report_submit", "message.post",
        "grant.bank_details_confirm", "grant.bank_details_set",
        "grant.agreement_countersign", "grant.agreement_accept"]


def test_an_organisation_members_other_steps_show_but_not_the_secretariats_internal_ones(
        grant, people):
    audit_record(actor=people["admin"], verb="grant.something_new", target=grant)
    audit_record(actor=people["secretariat"], verb="grant.create", target=grant)
    seen = verbs(grant_history_for(people["viewer"], grant))
    assert "grant.something_new" in seen and "grant.create" not in seen


def test_the_board_sees_the_steps_but_not_the_messages(grant, board_member):
    seen = verbs(grant_history_for(board_member, grant))
    assert "message.post" not in seen
    assert "grant.tranches" in seen and "grant.agreement_accept" in seen


def test_others_see_nothing(grant, other_ngo, reviewer, donor):
    for user in (other_ngo, reviewer, donor):
        assert grant_history_for(user, grant) == []


def test_a_former_member_keeps_the_row_without_a_name(grant, people):
    person_anonymise(actor=people["secretariat"], user=people["admin"], reason="test")
    for reader in (people["secretariat"], people["viewer"]):
        accepted = [r for r in grant_history_for(reader, grant)
                    if r.verb == "grant.agreement_accept"]
        assert len(accepted) == 1  # still shown to the organisation though they left it
        assert person_name(accepted[0].actor) == str(FORMER_MEMBER)


def test_the_limit_keeps_the_newest(grant, people):
    rows = grant_history_for(people["secretariat"], grant, limit=2)
    assert verbs(rows) == ["grant.report_changes", "grant.report_submit"]


def test_the_history_is_one_query_whatever_its_length(grant, people,
                                                      django_assert_num_queries):
    sec = people["secretariat"]
    with django_assert_num_queries(1):
        grant_history_for(sec, grant)
    for _ in range(10):
        audit_record(actor=people["admin"], verb="grant.bank_details_set", target=grant)
    with django_assert_num_queries(1):
        assert len(grant_history_for(sec, grant)) == 18


def test_every_label_is_translatable():
    assert all(isinstance(label, Promise) for label in GRANT_HISTORY_LABELS.values())
    with translation.override("fr"):
        # a label the French catalogue already has comes out in French
        assert str(HISTORY_LABELS["application.create"]) == "Brouillon commencé"


# --- a progress report -----------------------------------------------------------------


def test_a_reports_history_names_who_submitted_and_reviewed_each_version(grant, people):
    first = ProgressReport.objects.get(grant=grant)
    second = report_submit(actor=people["admin"], grant=grant, report_due=due(grant),
                           data=report_data())
    for reader in ("secretariat", "admin", "viewer"):
        steps = report_history_for(people[reader], second)
        assert [s.label for s in steps] == [
            "Version 2 submitted", "Changes requested on version 1", "Version 1 submitted"]
        assert [s.actor for s in steps] == [people["admin"], people["secretariat"],
                                            people["editor"]]
        assert steps[1].note == "Add the receipts."
    assert [s.label for s in report_history_for(people["admin"], first)][0] == \
        "Version 2 submitted"


def test_a_reports_history_is_hidden_from_others(grant, other_ngo, reviewer, donor,
                                                  board_member):
    report = ProgressReport.objects.get(grant=grant)
    for user in (other_ngo, reviewer, donor):
        assert report_history_for(user, report) == []
    assert len(report_history_for(board_member, report)) == 2


def test_a_reports_history_is_one_query(grant, people, django_assert_num_queries):
    report = ProgressReport.objects.get(grant=grant)
    with django_assert_num_queries(1):
        report_history_for(people["secretariat"], report, grant=grant)
