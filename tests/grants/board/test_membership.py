from datetime import timedelta

import pytest
from django.utils import timezone

from fundapp.accounts.roles import Role
from fundapp.core.errors import NotAllowed, ValidationFailed
from fundapp.core.models import AuditEvent
from grants.models import BoardMembership, BoardRole
from grants.selectors.board import sitting_memberships
from grants.services.board import board_membership_add, board_membership_end
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def trustee(name="newtrustee"):
    return UserFactory(username=name, roles=[Role.BOARD])


def test_the_secretariat_gives_a_seat_for_a_term_and_it_is_audited(secretariat):
    user = trustee()
    seat = board_membership_add(actor=secretariat, user=user, role=BoardRole.MEMBER,
                                term_start=TODAY, term_end=TODAY + timedelta(days=700))
    assert list(sitting_memberships(TODAY)) == [seat]
    assert AuditEvent.objects.filter(verb="board.membership.add", actor=secretariat).exists()


def test_only_the_secretariat_manages_membership(board_member):
    with pytest.raises(NotAllowed):
        board_membership_add(actor=board_member, user=trustee(), role=BoardRole.MEMBER,
                             term_start=TODAY)


def test_a_seat_needs_the_board_member_role(secretariat, reviewer):
    with pytest.raises(ValidationFailed) as exc:
        board_membership_add(actor=secretariat, user=reviewer, role=BoardRole.MEMBER,
                             term_start=TODAY)
    assert "user" in exc.value.field_errors


def test_the_board_has_one_chair_at_a_time(secretariat):
    board_membership_add(actor=secretariat, user=trustee("c1"), role=BoardRole.CHAIR,
                         term_start=TODAY - timedelta(days=100),
                         term_end=TODAY + timedelta(days=100))
    with pytest.raises(ValidationFailed) as exc:
        board_membership_add(actor=secretariat, user=trustee("c2"), role=BoardRole.CHAIR,
                             term_start=TODAY + timedelta(days=50))
    assert "role" in exc.value.field_errors


def test_a_new_chair_may_follow_once_the_previous_term_ends(secretariat):
    first = board_membership_add(actor=secretariat, user=trustee("c1"), role=BoardRole.CHAIR,
                                 term_start=TODAY - timedelta(days=100))
    board_membership_end(actor=secretariat, membership=first, term_end=TODAY)
    second = board_membership_add(actor=secretariat, user=trustee("c2"), role=BoardRole.CHAIR,
                                  term_start=TODAY + timedelta(days=1))
    assert BoardMembership.objects.filter(role=BoardRole.CHAIR).count() == 2
    assert not second.sits_on(TODAY) and second.sits_on(TODAY + timedelta(days=1))


def test_a_person_holds_one_seat_at_a_time(secretariat):
    user = trustee()
    board_membership_add(actor=secretariat, user=user, role=BoardRole.MEMBER, term_start=TODAY)
    with pytest.raises(ValidationFailed):
        board_membership_add(actor=secretariat, user=user, role=BoardRole.MEMBER,
                             term_start=TODAY + timedelta(days=10))


def test_a_term_cannot_end_before_it_starts(secretariat):
    seat = board_membership_add(actor=secretariat, user=trustee(), role=BoardRole.MEMBER,
                                term_start=TODAY)
    with pytest.raises(ValidationFailed):
        board_membership_end(actor=secretariat, membership=seat,
                             term_end=TODAY - timedelta(days=1))


def test_members_whose_term_ended_or_has_not_started_do_not_sit(secretariat):
    past = board_membership_add(actor=secretariat, user=trustee("past"), role=BoardRole.MEMBER,
                                term_start=TODAY - timedelta(days=400),
                                term_end=TODAY - timedelta(days=1))
    future = board_membership_add(actor=secretariat, user=trustee("future"),
                                  role=BoardRole.MEMBER, term_start=TODAY + timedelta(days=1))
    assert set(sitting_memberships(TODAY)) == set()
    assert past.sits_on(TODAY - timedelta(days=1)) and future.sits_on(TODAY + timedelta(days=1))
