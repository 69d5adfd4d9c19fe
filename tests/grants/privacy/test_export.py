"""The personal-data export: the person's own records, for each role, and nobody else's."""

import json

import pytest

from fundapp.core.audit import audit_record
from fundapp.notifications.services import notify
from grants.models import BoardMembership, Vote
from grants.selectors.privacy import personal_data_of
from grants.services.board import board_vote_cast
from tests.donors.factories import DonorFactory
from tests.factories import ApplicationFactory, UserFactory, attach, ngo_user
from tests.grants.board.helpers import meeting, recommended_call
from tests.grants.reviews.helpers import assign, eligible_application, make_reviewer, scored

pytestmark = pytest.mark.django_db


def dump(user) -> str:
    from django.core.serializers.json import DjangoJSONEncoder

    return json.dumps(personal_data_of(user), cls=DjangoJSONEncoder)


@pytest.fixture
def stranger(other_organisation):
    """Someone else, whose name and address must never appear in another's export."""
    return ngo_user(other_organisation, username="zz-stranger", first_name="Quentin",
                    last_name="Zebedee", email="quentin.zebedee@elsewhere.example")


def assert_nothing_of(stranger, text: str) -> None:
    for personal in (stranger.username, stranger.email, stranger.first_name, stranger.last_name):
        assert personal not in text


def test_an_ngo_user_gets_profile_membership_notifications_activity_and_applications(
        ngo, organisation, stranger):
    app = ApplicationFactory(organisation=organisation, created_by=ngo, title="Safe homes")
    attach(app)
    audit_record(actor=ngo, verb="application.update", target=app)
    notify(recipients=[ngo], kind="account_reactivated", data={"url": "/"})
    ApplicationFactory(organisation=stranger.membership.organisation, created_by=stranger,
                       title="Their project")
    notify(recipients=[stranger], kind="account_reactivated", data={"url": "/x/"})
    data = personal_data_of(ngo)
    assert data["profile"]["username"] == "ngo" and data["profile"]["email"] == ngo.email
    assert data["profile"]["roles"] == ["ngo"]
    assert data["organisation_membership"]["organisation"]["name"] == organisation.name
    assert data["organisation_membership"]["role"] == "admin"
    assert [n["kind"] for n in data["notifications"]] == ["account_reactivated"]
    assert [a["verb"] for a in data["activity"]] == ["application.update"]
    assert [a["title"] for a in data["applications"]] == ["Safe homes"]
    assert data["applications"][0]["created_by_you"] is True
    assert len(data["attachments_uploaded"]) in (0, 1)
    text = dump(ngo)
    assert "Their project" not in text
    assert_nothing_of(stranger, text)


def test_an_applicant_sees_the_status_as_applicants_do(ngo, organisation):
    app = eligible_application(organisation=organisation, created_by=ngo)
    app.status = "ranked"
    app.save()
    [row] = personal_data_of(ngo)["applications"]
    assert row["status"] == "under_review"


def test_a_reviewer_gets_their_reviews_with_scores_and_not_a_colleagues(organisation, stranger):
    app = eligible_application(organisation=organisation)
    me = make_reviewer("rev-me", first_name="Rita")
    other = make_reviewer("zz-other-reviewer", first_name="Olaf", email="olaf@elsewhere.example")
    scored(assign(app, me, status="draft", comment="Strong shelter plan."))
    scored(assign(app, other, status="draft", comment="Weak budget."), {"relevance": 2})
    data = personal_data_of(me)
    [review] = data["reviews"]
    assert review["comment"] == "Strong shelter plan."
    assert {s["score"] for s in review["scores"]} == {5}
    assert data["reviewer_profile"]["is_external"] is True
    text = dump(me)
    assert "Weak budget." not in text and "olaf@elsewhere.example" not in text


def test_a_trustee_gets_their_seat_and_votes_only(secretariat, chair, trustees, funded):
    session = meeting(recommended_call(), secretariat)
    item = session.items.first()
    board_vote_cast(actor=trustees[0], session=session, application=item.application,
                    vote="approve", amount_usd="45000.00", conditions="Hire a social worker.")
    board_vote_cast(actor=trustees[1], session=session, application=item.application,
                    vote="decline", feedback="Zebra-coloured objection.")
    data = personal_data_of(trustees[0])
    assert [(v["vote"], v["amount_usd"]) for v in data["board_votes"]] == [("approve", "45000.00")]
    assert data["board_memberships"][0]["role"] == "member"
    assert "Zebra-coloured objection." not in dump(trustees[0])
    assert Vote.objects.count() == 2 and BoardMembership.objects.filter(user=trustees[0]).exists()


def test_a_donor_user_gets_their_donor_links(donor, stranger):
    DonorFactory(name="Luxembourg", users=[donor])
    DonorFactory(name="Norway", users=[UserFactory(username="zz-norway")])
    assert [d["name"] for d in personal_data_of(donor)["donors"]] == ["Luxembourg"]


def test_notifications_are_listed_without_data_that_may_name_someone_else(
        secretariat, stranger):
    notify(recipients=[secretariat], kind="account_deactivated_work",
           data={"name": "Quentin Zebedee", "url": "/manage/people/9/"})
    [row] = personal_data_of(secretariat)["notifications"]
    assert row["kind"] == "account_deactivated_work" and row["url"] == "/manage/people/9/"
    assert_nothing_of(stranger, dump(secretariat))


def test_the_secretariat_activity_names_no_other_person(secretariat, stranger):
    audit_record(actor=secretariat, verb="user.deactivate", target=stranger,
                 after={"reason": "Left the organisation"})
    [entry] = personal_data_of(secretariat)["activity"]
    assert entry["verb"] == "user.deactivate" and entry["object_id"] is None
    assert entry["object_type"] == "accounts.user"
    assert_nothing_of(stranger, dump(secretariat))
