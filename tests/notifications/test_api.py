"""API /api/v1/notifications/: each user sees and marks their own; anybody else's is 404."""

import pytest

from fundapp.notifications.services import notify

LIST = "/api/v1/notifications/"


def verified(user, organisation="Hope Shelter"):
    [n] = notify(recipients=[user], kind="organisation_verified",
                 data={"organisation": organisation, "url": "/organisation/"})
    return n


@pytest.fixture
def as_person(api_as, person):
    return api_as(person)


def test_the_list_shows_my_notifications_with_the_contract_fields(as_person, person,
                                                                  french_person):
    n = verified(person)
    verified(french_person, "Not yours")
    body = as_person.get(LIST).json()
    assert body["count"] == 1 and {"next", "previous", "results"} <= set(body)
    [item] = body["results"]
    assert item["id"] == n.pk
    assert item["kind"] == "organisation_verified"
    assert item["subject"] == "Hope Shelter is verified"
    assert item["message"].startswith("The fund's secretariat has verified Hope Shelter.")
    assert item["read"] is False and item["read_at"] is None
    assert item["url"] == "http://testserver/organisation/"
    assert item["created_at"].endswith(("Z", "+00:00"))


def test_the_message_is_rendered_in_the_users_language(api_as, french_person, subject_spy):
    subject_spy("organisation_verified")
    verified(french_person)
    [item] = api_as(french_person).get(LIST, HTTP_ACCEPT_LANGUAGE="en").json()["results"]
    assert item["subject"] == "organisation_verified rendered in fr"


def test_the_list_filters_read_and_kind(as_person, person):
    verified(person)
    read = verified(person)
    as_person.post(f"{LIST}{read.pk}/read/")
    assert as_person.get(LIST, {"read": "true"}).json()["count"] == 1
    assert as_person.get(LIST, {"read": "false"}).json()["count"] == 1
    assert as_person.get(LIST, {"kind": "call_closed"}).json()["count"] == 0


def test_the_list_does_not_grow_its_queries_with_its_rows(
        as_person, person, django_assert_max_num_queries):
    for _ in range(20):
        verified(person)
    with django_assert_max_num_queries(4):
        assert as_person.get(LIST).json()["count"] == 20


def test_mark_one_read(as_person, person):
    n = verified(person)
    response = as_person.post(f"{LIST}{n.pk}/read/")
    assert response.status_code == 200 and response.json()["read"] is True
    n.refresh_from_db()
    assert n.read
    assert as_person.post(f"{LIST}{n.pk}/read/").status_code == 200  # idempotent


def test_mark_all_read(as_person, person, french_person):
    for _ in range(3):
        verified(person)
    theirs = verified(french_person)
    assert as_person.post(f"{LIST}read-all/").json() == {"marked": 3}
    assert as_person.get(LIST, {"read": "false"}).json()["count"] == 0
    theirs.refresh_from_db()
    assert not theirs.read


def test_someone_elses_notification_is_404(as_person, french_person):
    theirs = verified(french_person)
    assert as_person.post(f"{LIST}{theirs.pk}/read/").status_code == 404
    assert as_person.post(f"{LIST}999999/read/").status_code == 404
    theirs.refresh_from_db()
    assert not theirs.read


def test_anonymous_callers_are_refused(api, person):
    n = verified(person)
    assert api.get(LIST).status_code == 401
    assert api.post(f"{LIST}{n.pk}/read/").status_code == 401
    assert api.post(f"{LIST}read-all/").status_code == 401
