"""Milestone notices at 50, 75 and 100 % of a year's target: each sent once."""

from datetime import date
from decimal import Decimal

import pytest

from donors.models import TargetMilestone
from donors.services.targets import annual_target_set
from fundapp.notifications.models import Notification

from .factories import record

pytestmark = pytest.mark.django_db
DAY = date(2024, 6, 1)


def notices():
    return sorted((n.data["percent"], n.recipient.username)
                  for n in Notification.objects.filter(kind="target_milestone"))


def test_reaching_half_the_target_tells_the_secretariat_and_the_board(
        sweden, secretariat, board_member, donor, ngo):
    record(sweden, "749999.99", received_on=DAY)
    assert notices() == []
    record(sweden, "0.01", received_on=DAY)
    assert notices() == [(50, "sec"), (50, "trustee")]


def test_each_milestone_is_sent_once_however_many_contributions_follow(
        sweden, secretariat, board_member):
    for _ in range(4):
        record(sweden, "400000.00", received_on=DAY)
    assert notices() == [(50, "sec"), (50, "trustee"), (75, "sec"), (75, "trustee"),
                         (100, "sec"), (100, "trustee")]
    assert TargetMilestone.objects.filter(year=2024).count() == 3


def test_one_large_gift_crossing_several_milestones_announces_each(sweden, secretariat):
    record(sweden, "1600000.00", received_on=DAY)
    assert notices() == [(50, "sec"), (75, "sec"), (100, "sec")]


def test_a_lower_target_can_reach_a_milestone_once(sweden, secretariat):
    record(sweden, "600000.00", received_on=DAY)
    assert notices() == []
    annual_target_set(actor=secretariat, year=2024, amount_usd=Decimal("1000000.00"))
    annual_target_set(actor=secretariat, year=2024, amount_usd=Decimal("900000.00"))
    assert notices() == [(50, "sec")]


def test_milestones_count_per_year(sweden, secretariat):
    record(sweden, "800000.00", received_on=date(2023, 6, 1))
    record(sweden, "100000.00", received_on=DAY)
    assert [n.data["year"] for n in Notification.objects.filter(kind="target_milestone")] == [
        2023]
