"""The list helper: filters from the URL, shown and removable; sorting; page size; counts."""

import pytest
from django.test import RequestFactory

from fundapp.accounts.models import User
from fundapp.core.listing import Filter, Sort, listing

pytestmark = pytest.mark.django_db

FILTERS = [
    Filter("active", "Active", choices=[("1", "Active only"), ("0", "Inactive only")],
           lookup="is_active"),
    Filter("name", "Name", apply=lambda qs, text: qs.filter(username__icontains=text)),
    Filter("id", "Id", apply=lambda qs, value: qs.filter(pk=int(value)), hidden=True,
           describe=lambda value: f"user {value}"),
]
SORTS = [Sort("name", "Name", "username"), Sort("newest", "Newest", ("-date_joined",))]


@pytest.fixture
def users(db):
    return [User.objects.create(username=f"user{n:02d}", is_active=n % 3 != 0)
            for n in range(60)]


def get(query: str):
    return RequestFactory().get(f"/people/{query}")


def test_a_filter_from_the_url_is_applied_and_shown_with_a_link_that_removes_it(users):
    found = listing(get("?active=0&name=user1&sort=name"), User.objects.all(),
                    filters=FILTERS, sorts=SORTS)
    assert [u.username for u in found.page] == ["user12", "user15", "user18"]
    assert found.count == 3
    assert [(a.label, a.value_label) for a in found.applied] == [
        ("Active", "Inactive only"), ("Name", "user1")]
    assert found.applied[0].remove_url == "?name=user1&sort=name"
    assert found.clear_url == "?sort=name"


def test_a_value_outside_the_choices_or_unreadable_is_ignored_and_said(users):
    found = listing(get("?active=maybe&id=abc"), User.objects.all(), filters=FILTERS,
                    sorts=SORTS)
    assert found.count == 60
    assert found.ignored == ["Active", "Id"]
    assert found.applied == []


def test_a_hidden_filter_has_no_control_but_is_shown_and_kept_by_the_form(users):
    pk = users[5].pk
    found = listing(get(f"?id={pk}"), User.objects.all(), filters=FILTERS, sorts=SORTS)
    assert found.count == 1
    assert [c.name for c in found.controls] == ["active", "name"]
    assert found.applied[0].value_label == f"user {pk}"
    assert found.kept == [("id", str(pk))]


def test_sorting_and_page_size_come_from_the_url_with_safe_defaults(users):
    found = listing(get("?sort=newest&size=50&page=2"), User.objects.all(), filters=FILTERS,
                    sorts=SORTS)
    assert found.sort == "newest" and found.size == 50
    assert len(found.page) == 10
    unknown = listing(get("?sort=drop_table&size=100000"), User.objects.all(), sorts=SORTS)
    assert unknown.sort == "name" and unknown.size == 25
    assert unknown.page[0].username == "user00"
