"""The ballot: a member's votes on the whole agenda recorded at once or not at all, and the
draft of the sheet kept until then."""

import pytest

from fundapp.core.audit import audit_trail_for
from fundapp.core.errors import NotAllowed
from grants.models import ApplicationStatus, BallotDraft, Vote
from grants.services.board import (
    BallotInvalid,
    SessionClosed,
    board_ballot_draft_save,
    board_ballot_submit,
    board_session_close,
    board_vote_cast,
)
from tests.grants.board.helpers import vote_all

pytestmark = pytest.mark.django_db


def rows(session):
    return list(session.items.select_related("application"))


def full_ballot(session):
    """Approve the recommended applications (one for less, with a condition), decline the
    reserve with feedback."""
    first, second, reserve = rows(session)
    return [
        {"application": first.application_id, "vote": "approve", "amount_usd": "45000.00",
         "conditions": "Quarterly visits."},
        {"application": second.application_id, "vote": "approve"},
        {"application": reserve.application_id, "vote": "decline",
         "feedback": "The envelope is used by the recommended portfolio."},
    ]


def test_one_ballot_records_every_vote(session, members):
    ballot = board_ballot_submit(actor=members[0], session=session, votes=full_ballot(session))
    assert ballot.changed == 3
    votes = {v.item.position: v for v in Vote.objects.filter(member=members[0])}
    assert [votes[n].vote for n in (1, 2, 3)] == ["approve", "approve", "decline"]
    assert (votes[1].amount_usd, votes[1].conditions) == (45000, "Quarterly visits.")
    assert votes[3].feedback.startswith("The envelope")
    verbs = [e.verb for e in audit_trail_for(session)]
    assert verbs.count("board.vote") == 3 and "board.ballot" in verbs


def test_a_bad_row_keeps_nothing_and_names_every_bad_row(session, members):
    ballot = full_ballot(session)
    ballot[1]["amount_usd"] = "99999999.00"  # more than requested
    ballot[2]["feedback"] = ""  # a decline needs feedback
    with pytest.raises(BallotInvalid) as refused:
        board_ballot_submit(actor=members[0], session=session, votes=ballot)
    assert set(refused.value.rows) == {ballot[1]["application"], ballot[2]["application"]}
    assert "amount_usd" in refused.value.rows[ballot[1]["application"]]
    assert "feedback" in refused.value.rows[ballot[2]["application"]]
    assert refused.value.status_code == 400
    assert not Vote.objects.exists()
    data = refused.value.as_data()
    assert set(data["votes"]) == {str(ballot[1]["application"]), str(ballot[2]["application"])}


def test_a_bad_row_leaves_the_votes_already_recorded_as_they_were(session, members):
    first = rows(session)[0]
    board_vote_cast(actor=members[0], session=session, application=first.application,
                    vote="abstain")
    ballot = full_ballot(session)
    ballot[2]["vote"] = "maybe"
    with pytest.raises(BallotInvalid):
        board_ballot_submit(actor=members[0], session=session, votes=ballot)
    assert list(Vote.objects.values_list("vote", flat=True)) == ["abstain"]


@pytest.mark.parametrize("entry,field", [
    ({"application": 999999, "vote": "approve"}, "application"),
    ({"application": "not-a-number", "vote": "approve"}, "application"),
])
def test_an_application_off_the_agenda_is_a_bad_row(session, members, entry, field):
    with pytest.raises(BallotInvalid) as refused:
        board_ballot_submit(actor=members[0], session=session,
                            votes=[*full_ballot(session), entry])
    assert [field] == [f for errors in refused.value.rows.values() for f in errors]
    assert not Vote.objects.exists()


def test_the_same_application_twice_is_a_bad_row(session, members):
    ballot = full_ballot(session)
    with pytest.raises(BallotInvalid) as refused:
        board_ballot_submit(actor=members[0], session=session, votes=[*ballot, ballot[0]])
    assert "twice" in refused.value.rows[ballot[0]["application"]]["application"][0]


def test_a_recusal_stays_final_in_a_ballot(session, members):
    first = rows(session)[0]
    board_vote_cast(actor=members[0], session=session, application=first.application,
                    vote="recuse")
    with pytest.raises(BallotInvalid) as refused:
        board_ballot_submit(actor=members[0], session=session, votes=full_ballot(session))
    assert "recusal is final" in refused.value.rows[first.application_id]["vote"][0]
    assert Vote.objects.count() == 1
    ballot = full_ballot(session)
    ballot[0] = {"application": first.application_id, "vote": "recuse"}
    result = board_ballot_submit(actor=members[0], session=session, votes=ballot)
    assert result.changed == 2
    assert Vote.objects.get(item=first, member=members[0]).vote == "recuse"


def test_a_ballot_may_recuse_from_an_item_voted_before(session, members):
    first = rows(session)[0]
    board_vote_cast(actor=members[0], session=session, application=first.application,
                    vote="approve")
    board_ballot_submit(actor=members[0], session=session,
                        votes=[{"application": first.application_id, "vote": "recuse"}])
    assert Vote.objects.get().vote == "recuse"


def test_a_withdrawn_application_is_a_bad_row(session, members):
    first = rows(session)[0]
    type(first.application).objects.filter(pk=first.application_id).update(
        status=ApplicationStatus.WITHDRAWN)
    with pytest.raises(BallotInvalid) as refused:
        board_ballot_submit(actor=members[0], session=session, votes=full_ballot(session))
    assert "withdrawn" in refused.value.rows[first.application_id]["vote"][0]


def test_an_unchanged_row_is_left_as_it_was(session, members):
    board_ballot_submit(actor=members[0], session=session, votes=full_ballot(session))
    again = board_ballot_submit(actor=members[0], session=session, votes=full_ballot(session))
    assert again.changed == 0 and len(again.votes) == 3
    assert [e.verb for e in audit_trail_for(session)].count("board.vote") == 3


def test_an_empty_ballot_is_refused(session, members):
    with pytest.raises(Exception) as refused:
        board_ballot_submit(actor=members[0], session=session, votes=[])
    assert "votes" in refused.value.field_errors


def test_only_sitting_members_submit_a_ballot(session, secretariat, board_member):
    with pytest.raises(NotAllowed):
        board_ballot_submit(actor=secretariat, session=session, votes=full_ballot(session))
    with pytest.raises(NotAllowed):  # a board member not sitting on the session's date
        board_ballot_submit(actor=board_member, session=session, votes=full_ballot(session))
    assert not Vote.objects.exists()


def test_a_closed_session_refuses_the_ballot_and_the_draft(session, chair, members):
    vote_all(session, [chair, *members[:2]])
    board_session_close(actor=chair, session=session)
    with pytest.raises(SessionClosed):
        board_ballot_submit(actor=members[3], session=session, votes=full_ballot(session))
    with pytest.raises(SessionClosed):
        board_ballot_draft_save(actor=members[3], session=session, votes={})
    verbs = [e.verb for e in audit_trail_for(session)]
    assert "board.ballot.refused" in verbs and "board.ballot.draft.refused" in verbs
    assert not Vote.objects.filter(member=members[3]).exists()


def test_the_draft_round_trip(session, members):
    first, second, _reserve = rows(session)
    sheet = {str(first.pk): {"vote": "approve", "amount_usd": "41 000,50",
                             "conditions": "", "feedback": ""},
             str(second.pk): {"vote": "", "amount_usd": "", "conditions": "",
                              "feedback": ""},  # an empty row is not kept
             "999999": {"vote": "approve"}}  # not on the agenda: ignored
    draft = board_ballot_draft_save(actor=members[0], session=session, votes=sheet)
    assert BallotDraft.objects.get() == draft
    assert draft.votes == {str(first.pk): {"vote": "approve", "amount_usd": "41 000,50",
                                           "conditions": "", "feedback": ""}}
    assert not Vote.objects.exists()  # nothing in a draft counts
    sheet[str(first.pk)]["vote"] = "decline"
    board_ballot_draft_save(actor=members[0], session=session, votes=sheet)
    assert BallotDraft.objects.get().votes[str(first.pk)]["vote"] == "decline"  # one per member
    board_ballot_submit(actor=members[0], session=session, votes=full_ballot(session))
    assert not BallotDraft.objects.exists()  # submitted: the draft is gone


def test_an_empty_draft_deletes_the_saved_one(session, members):
    first = rows(session)[0]
    board_ballot_draft_save(actor=members[0], session=session,
                            votes={str(first.pk): {"vote": "abstain"}})
    assert board_ballot_draft_save(actor=members[0], session=session, votes={}) is None
    assert not BallotDraft.objects.exists()


def test_a_draft_refuses_what_no_ballot_could_hold(session, members):
    first = rows(session)[0]
    with pytest.raises(BallotInvalid) as refused:
        board_ballot_draft_save(actor=members[0], session=session, votes={
            str(first.pk): {"vote": "perhaps", "feedback": "x" * 4001}})
    assert set(refused.value.rows[first.application_id]) == {"vote", "feedback"}
    assert not BallotDraft.objects.exists()


def test_drafts_are_for_sitting_members(session, secretariat, board_member):
    first = rows(session)[0]
    for user in (secretariat, board_member):
        with pytest.raises(NotAllowed):
            board_ballot_draft_save(actor=user, session=session,
                                    votes={str(first.pk): {"vote": "approve"}})
