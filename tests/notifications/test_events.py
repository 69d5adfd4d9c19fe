"""Each event of the grant cycle tells the right people, in their language, and nobody else."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from fundapp.notifications.models import Notification
from grants.models import Membership
from grants.services.applications import application_submit
from grants.services.calls import clarification_answer, clarification_ask
from grants.services.organisations import ngo_register, organisation_verify
from grants.tasks import close_due_calls
from tests.factories import ApplicationFactory, CallFactory, UserFactory, complete_application
from tests.notifications.conftest import month_name, sent_to

ALL_CHECKS = {"registration_certificate": True, "safeguarding_policy": True,
              "track_record": True}


def recipients(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind)
               .values_list("recipient__username", flat=True))


@pytest.fixture
def colleague_fr(organisation):
    """A French-speaking member of the same NGO."""
    user = UserFactory(username="celine", language="fr", timezone="Africa/Lagos")
    Membership.objects.create(user=user, organisation=organisation)
    return user


@pytest.fixture
def bystanders(other_ngo, reviewer, board_member, donor):
    """People who must not hear about another organisation's affairs."""
    return [other_ngo, reviewer, board_member, donor]


# --- application submitted --------------------------------------------------------------

def test_submission_sends_the_receipt_to_the_ngo_and_a_notice_to_the_secretariat(
        ngo, colleague_fr, secretariat, bystanders, organisation, committed):
    with committed():
        app = application_submit(actor=ngo, application=complete_application(
            organisation=organisation))
    assert recipients("application_submitted") == {"ngo", "celine"}
    assert recipients("application_submitted_staff") == {"sec"}
    assert {m.to[0] for m in mail.outbox} == {ngo.email, colleague_fr.email, secretariat.email}
    [receipt] = sent_to(ngo.email)
    assert receipt.subject == f"[FundApp] Application {app.reference} received"
    assert f"Its reference number is {app.reference}" in receipt.body
    [notice] = sent_to(secretariat.email)
    assert organisation.name in notice.body and app.reference in notice.body


def test_each_person_is_written_to_in_their_own_language(
        ngo, colleague_fr, secretariat, organisation, committed, subject_spy):
    subject_spy("application_submitted")
    subject_spy("application_submitted_staff")
    with committed():
        application_submit(actor=ngo, application=complete_application(
            organisation=organisation))
    [french] = sent_to(colleague_fr.email)
    [english] = sent_to(ngo.email)
    [staff] = sent_to(secretariat.email)
    assert french.subject == "[FundApp] application_submitted rendered in fr"
    assert english.subject == "[FundApp] application_submitted rendered in en"
    assert staff.subject == "[FundApp] application_submitted_staff rendered in en"
    assert month_name(colleague_fr, "fr") in french.body
    assert month_name(ngo, "en") in english.body
    assert '<html lang="fr" dir="ltr">' in french.alternatives[0][0]
    assert '<html lang="en" dir="ltr">' in english.alternatives[0][0]


def test_an_inactive_member_is_not_told(ngo, colleague_fr, organisation, committed):
    colleague_fr.is_active = False
    colleague_fr.save()
    with committed():
        application_submit(actor=ngo, application=complete_application(
            organisation=organisation))
    assert recipients("application_submitted") == {"ngo"}


# --- organisation verified or rejected --------------------------------------------------

def test_verification_is_told_to_the_organisation_members_only(
        ngo, colleague_fr, secretariat, bystanders, committed):
    org = ngo.membership.organisation
    org.status = "pending"
    org.save()
    with committed():
        organisation_verify(actor=secretariat, organisation=org, approve=True,
                            checklist=ALL_CHECKS)
    assert recipients("organisation_verified") == {"ngo", "celine"}
    assert {m.to[0] for m in mail.outbox} == {ngo.email, colleague_fr.email}
    assert f"has verified {org.name}" in sent_to(ngo.email)[0].body


def test_rejection_carries_the_reasons(ngo, secretariat, bystanders, committed):
    org = ngo.membership.organisation
    with committed():
        organisation_verify(actor=secretariat, organisation=org, approve=False,
                            reason="The registration certificate expired in 2019.")
    [message] = mail.outbox
    assert message.to == [ngo.email]
    assert message.subject == f"[FundApp] {org.name} could not be verified"
    assert "Reasons: The registration certificate expired in 2019." in message.body
    assert "expired in 2019" in message.alternatives[0][0]


def test_registration_e_mails_the_confirmation_link_to_the_new_user(db, committed):
    with committed():
        user = ngo_register(username="olena", email="olena@example.org",
                            password="a-long-passphrase-2026", language="fr",
                            organisation={"name": "Shelter Kyiv", "country": "UA",
                                          "registration_number": "UA-77",
                                          "psea_declaration": True})
    [message] = mail.outbox
    assert message.to == [user.email]
    assert "/accounts/verify/" in message.body
    assert '<html lang="fr" dir="ltr">' in message.alternatives[0][0]


# --- clarification answers ----------------------------------------------------------------

def test_a_published_answer_reaches_organisations_with_drafts_on_that_call_only(
        ngo, other_ngo, secretariat, open_call, organisation, committed):
    complete_application(call=open_call, organisation=organisation)
    submitted = ApplicationFactory(call=open_call, organisation=other_ngo.membership.organisation,
                                   status="submitted")
    ApplicationFactory(call=CallFactory(), organisation=other_ngo.membership.organisation)
    assert submitted.pk
    q = clarification_ask(actor=other_ngo, call=open_call, question="Which budget template?")
    with committed():
        clarification_answer(actor=secretariat, question=q, answer="Any format.")
    assert [m.to for m in mail.outbox] == [[ngo.email]]
    assert "Which budget template?" in mail.outbox[0].body
    assert "Answer: Any format." in mail.outbox[0].body


# --- call closed --------------------------------------------------------------------------

def test_beat_closes_a_due_call_and_sends_the_summary_to_the_secretariat_once(
        ngo, secretariat, organisation, bystanders, committed):
    call = CallFactory(opens_at=timezone.now() - timedelta(days=30),
                       closes_at=timezone.now() + timedelta(days=1))
    application_submit(actor=ngo, application=complete_application(
        call=call, organisation=organisation))
    ApplicationFactory(call=call, organisation=organisation)
    mail.outbox.clear()
    call.closes_at = timezone.now() - timedelta(minutes=1)
    call.save()
    with committed():
        assert close_due_calls.delay().get() == [call.pk]
        assert close_due_calls.delay().get() == []
    call.refresh_from_db()
    assert call.status == "closed"
    assert recipients("call_closed") == {"sec"}
    [summary] = mail.outbox
    assert summary.to == [secretariat.email]
    assert summary.subject == f"[FundApp] Call {call.number} has closed"
    assert "- Submitted: 1" in summary.body and "- Draft: 1" in summary.body


def test_the_summary_translates_statuses_for_each_reader(secretariat, committed, monkeypatch):
    from fundapp.notifications import kinds

    secretariat.language = "fr"
    secretariat.save()
    seen = []
    original = kinds.KINDS["call_closed"].context

    def spying(data):
        from django.utils import translation

        seen.append(translation.get_language())
        return original(data)

    monkeypatch.setitem(kinds.KINDS, "call_closed",
                        kinds.Kind(kinds.KINDS["call_closed"].subject, "x", context=spying))
    call = CallFactory(closes_at=timezone.now() - timedelta(minutes=1))
    ApplicationFactory(call=call)
    with committed():
        close_due_calls.delay()
    assert seen and set(seen) == {"fr"}
    [n] = Notification.objects.filter(kind="call_closed")
    assert n.data["counts"] == {"draft": 1}
