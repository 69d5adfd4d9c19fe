"""Unread markers: per reader, own messages read, moved when the thread is shown, counted for
lists in one query."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grants.models import Message, ThreadRead
from grants.selectors.messages import thread_messages, unread_counts_for
from grants.services.messages import message_post, thread_mark_read
from tests.grants.messages.helpers import submitted_application

pytestmark = pytest.mark.django_db


def reads(user, **thread) -> list[bool]:
    return [m.read for m in thread_messages(user, **thread)]


def test_a_new_message_is_unread_for_the_other_side_and_read_for_its_author(
        secretariat, ngo, application):
    message_post(actor=secretariat, application=application, body="Question")
    assert reads(ngo, application=application) == [False]
    assert reads(secretariat, application=application) == [True]


def test_showing_the_thread_marks_it_read_for_that_reader_only(secretariat, ngo, editor,
                                                                application):
    message_post(actor=secretariat, application=application, body="Question")
    thread_mark_read(user=ngo, application=application)
    assert reads(ngo, application=application) == [True]
    assert reads(editor, application=application) == [False]


def test_a_later_message_is_unread_again(secretariat, ngo, application):
    message_post(actor=secretariat, application=application, body="Question")
    thread_mark_read(user=ngo, application=application)
    later = message_post(actor=secretariat, application=application, body="And another")
    Message.objects.filter(pk=later.pk).update(created_at=later.created_at + timedelta(seconds=1))
    assert reads(ngo, application=application) == [True, False]


def test_answering_marks_the_thread_read_for_the_author(secretariat, ngo, application):
    message_post(actor=secretariat, application=application, body="Question")
    message_post(actor=ngo, application=application, body="Answer")
    assert reads(ngo, application=application) == [True, True]
    assert reads(secretariat, application=application) == [True, False]


def test_the_marker_never_moves_back(secretariat, ngo, application):
    message_post(actor=secretariat, application=application, body="Question")
    thread_mark_read(user=ngo, application=application)
    marker = ThreadRead.objects.get(user=ngo, application=application)
    ThreadRead.objects.filter(pk=marker.pk).update(read_at=marker.read_at + timedelta(days=1))
    thread_mark_read(user=ngo, application=application)
    assert ThreadRead.objects.get(pk=marker.pk).read_at == marker.read_at + timedelta(days=1)
    assert ThreadRead.objects.filter(user=ngo).count() == 1


def test_marking_an_empty_thread_writes_nothing(ngo, application, grant):
    thread_mark_read(user=ngo, application=application)
    thread_mark_read(user=ngo, grant=grant)
    assert not ThreadRead.objects.exists()


def test_unread_counts_per_application_in_one_query(secretariat, ngo, organisation, open_call,
                                                     application):
    second = submitted_application(organisation, open_call, reference="VTF1-0002")
    quiet = submitted_application(organisation, open_call, reference="VTF1-0003")
    for body in ("One", "Two"):
        message_post(actor=secretariat, application=application, body=body)
    message_post(actor=ngo, application=second, body="Own")
    three = message_post(actor=secretariat, application=second, body="Three")
    Message.objects.filter(pk=three.pk).update(created_at=three.created_at + timedelta(seconds=1))
    unread_counts_for(ngo, applications=[quiet])  # the reader's organisation, once a request
    with CaptureQueriesContext(connection) as ctx:
        counts = unread_counts_for(ngo, applications=[application, second, quiet])
    assert counts == {application.pk: 2, second.pk: 1}
    assert len(ctx.captured_queries) == 1
    thread_mark_read(user=ngo, application=application)
    assert unread_counts_for(ngo, applications=[application.pk, second.pk]) == {second.pk: 1}


def test_unread_counts_per_grant(secretariat, ngo, grant):
    message_post(actor=ngo, grant=grant, body="Bank details changed")
    assert unread_counts_for(secretariat, grants=[grant]) == {grant.pk: 1}
    assert unread_counts_for(ngo, grants=[grant]) == {}


def test_no_counts_and_no_query_for_those_who_read_no_thread(secretariat, reviewer,
                                                              board_member, donor, application):
    message_post(actor=secretariat, application=application, body="Question")
    for user in (reviewer, board_member, donor):
        with CaptureQueriesContext(connection) as ctx:
            assert unread_counts_for(user, applications=[application]) == {}
        assert len(ctx.captured_queries) <= 1  # the user's roles, once


def test_another_organisations_threads_are_never_counted(secretariat, other_ngo, application):
    message_post(actor=secretariat, application=application, body="Question")
    assert unread_counts_for(other_ngo, applications=[application]) == {}
