"""Threads awaiting an answer: the last message came from the other side."""

import pytest

from grants.selectors.messages import threads_awaiting_answer
from grants.services.messages import message_post
from tests.grants.messages.helpers import submitted_application

pytestmark = pytest.mark.django_db


def awaiting(user) -> tuple[list, list]:
    threads = threads_awaiting_answer(user)
    return list(threads.applications), list(threads.grants)


def test_the_secretariat_awaits_on_threads_an_organisation_wrote_last(
        secretariat, ngo, application, grant):
    message_post(actor=ngo, application=application, body="When will we hear?")
    message_post(actor=ngo, grant=grant, body="Report attached.")
    apps, grants = awaiting(secretariat)
    assert apps == [application] and grants == [grant]
    assert apps[0].last_message_at is not None
    assert threads_awaiting_answer(secretariat).count == 2
    assert awaiting(ngo) == ([], [])


def test_an_answer_takes_the_thread_off_the_list(secretariat, ngo, application):
    message_post(actor=ngo, application=application, body="When will we hear?")
    message_post(actor=secretariat, application=application, body="In March.")
    assert awaiting(secretariat) == ([], [])
    assert awaiting(ngo) == ([application], [])


def test_an_organisation_awaits_only_on_its_own_threads(secretariat, ngo, other_ngo,
                                                         other_organisation, application):
    theirs = submitted_application(other_organisation, reference="VTF1-0009")
    message_post(actor=secretariat, application=application, body="Please send the budget.")
    message_post(actor=secretariat, application=theirs, body="Please send the budget.")
    assert awaiting(ngo) == ([application], [])
    assert awaiting(other_ngo) == ([theirs], [])


def test_a_thread_without_messages_awaits_nothing(secretariat, ngo, application, grant):
    assert threads_awaiting_answer(secretariat).count == 0
    assert threads_awaiting_answer(ngo).count == 0


@pytest.mark.parametrize("who", ["reviewer", "board_member", "donor"])
def test_others_have_nothing_awaiting(request, who, ngo, application):
    message_post(actor=ngo, application=application, body="Hello")
    assert threads_awaiting_answer(request.getfixturevalue(who)).count == 0


def test_oldest_question_first(secretariat, ngo, organisation, open_call, application):
    second = submitted_application(organisation, open_call, reference="VTF1-0002")
    message_post(actor=ngo, application=second, body="First question")
    message_post(actor=ngo, application=application, body="Second question")
    assert awaiting(secretariat)[0] == [second, application]
