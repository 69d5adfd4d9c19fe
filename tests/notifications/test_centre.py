"""The notification centre: each person's own list, the unread badge, marking read."""

import pytest
from django.urls import reverse

from fundapp.notifications.models import Notification
from fundapp.notifications.services import notify
from tests.factories import UserFactory

CENTRE = reverse("notifications:centre")


def verified(user, organisation="Hope Shelter", **extra):
    [n] = notify(recipients=[user], kind="organisation_verified",
                 data={"organisation": organisation, "url": "/organisation/"} | extra)
    return n


@pytest.fixture
def signed_in(client, person):
    client.force_login(person)
    return client


def test_the_centre_lists_my_notifications_only(signed_in, person, french_person):
    verified(person, "Mine")
    verified(french_person, "Someone else's")
    page = signed_in.get(CENTRE)
    assert page.status_code == 200
    assert b"Mine is verified" in page.content
    assert b"Someone else" not in page.content


def test_the_centre_needs_a_signed_in_user(client):
    response = client.get(CENTRE)
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_the_list_is_paginated(signed_in, person):
    for i in range(30):
        verified(person, f"Org {i:02d}")
    first = signed_in.get(CENTRE)
    second = signed_in.get(CENTRE, {"page": 2})
    assert first.content.count(b'id="notification-') == 25
    assert second.content.count(b'id="notification-') == 5
    assert b"Org 29 is verified" in first.content and b"Org 00 is verified" in second.content


def test_the_navigation_shows_the_unread_count(signed_in, person):
    for _ in range(3):
        verified(person)
    Notification.objects.filter(pk=verified(person).pk).update(read_at="2026-01-01T00:00Z")
    page = signed_in.get(CENTRE)
    assert page.context["unread_notifications"] == 3
    assert b'id="nav-notifications"' in page.content
    assert b'aria-label="3 unread"' in page.content


def test_the_unread_count_costs_one_query_whatever_the_number(
        client, person, django_assert_num_queries):
    from django.template import RequestContext
    from django.test import RequestFactory

    from fundapp.notifications.context_processors import unread_notifications

    request = RequestFactory().get("/")
    request.user = person
    for count in (0, 1, 40):
        for _ in range(count):
            verified(person)
        with django_assert_num_queries(1):
            assert unread_notifications(request)["unread_notifications"] >= count
    assert RequestContext(request)  # processors run without error for a plain request


def test_visitors_get_no_count():
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    from fundapp.notifications.context_processors import unread_notifications

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert unread_notifications(request) == {}


def test_mark_read_with_htmx_returns_the_item_and_the_new_badge(signed_in, person):
    n = verified(person)
    verified(person)
    response = signed_in.post(reverse("notifications:mark-read", args=[n.pk]),
                              HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    n.refresh_from_db()
    assert n.read
    body = response.content.decode()
    assert f'id="notification-{n.pk}"' in body
    assert 'hx-swap-oob="true"' in body and 'aria-label="1 unread"' in body


def test_mark_read_without_javascript_goes_back_to_the_list(signed_in, person):
    n = verified(person)
    response = signed_in.post(reverse("notifications:mark-read", args=[n.pk]),
                              {"next": "/notifications/?page=1"})
    assert response.status_code == 302 and response.url == "/notifications/?page=1"
    response = signed_in.post(reverse("notifications:mark-read", args=[n.pk]),
                              {"next": "https://evil.example/"})
    assert response.url == CENTRE


def test_mark_all_read(signed_in, person, french_person):
    for _ in range(3):
        verified(person)
    theirs = verified(french_person)
    response = signed_in.post(reverse("notifications:mark-all-read"))
    assert response.status_code == 302
    assert not person.notifications.filter(read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert not theirs.read


def test_opening_a_notification_marks_it_read_and_goes_to_what_it_concerns(signed_in, person):
    n = verified(person)
    response = signed_in.get(reverse("notifications:open", args=[n.pk]))
    assert response.status_code == 302 and response.url == "/organisation/"
    n.refresh_from_db()
    assert n.read


def test_a_foreign_link_in_the_data_is_not_followed(signed_in, person):
    n = verified(person, url="https://evil.example/")
    response = signed_in.get(reverse("notifications:open", args=[n.pk]))
    assert response.url == CENTRE


def test_someone_elses_notification_is_not_found(signed_in, french_person):
    theirs = verified(french_person)
    for name in ("notifications:mark-read", "notifications:open"):
        url = reverse(name, args=[theirs.pk])
        response = signed_in.post(url) if name.endswith("read") else signed_in.get(url)
        assert response.status_code == 404
    theirs.refresh_from_db()
    assert not theirs.read


def test_mark_read_refuses_get(signed_in, person):
    n = verified(person)
    assert signed_in.get(reverse("notifications:mark-read", args=[n.pk])).status_code == 405


def test_every_role_has_a_centre(client, db):
    from fundapp.accounts.roles import Role

    for role in Role.values:
        user = UserFactory(roles=[role])
        verified(user)
        client.force_login(user)
        assert client.get(CENTRE).status_code == 200
