import pytest
from django.urls import reverse

from fundapp.accounts.roles import Role
from fundapp.core.audit import AuditEvent
from fundapp.core.errors import NotAllowed, StateConflict, ValidationFailed
from fundapp.notifications.models import Notification
from fundapp.notifications.rendering import render_notification
from grants.selectors.people import pending_work_of
from grants.services.people import user_deactivate, user_reactivate
from tests.factories import PASSWORD
from tests.grants.reviews.helpers import assign, eligible_application

pytestmark = pytest.mark.django_db


def test_deactivation_is_audited_with_its_reason(secretariat, reviewer):
    user_deactivate(actor=secretariat, user=reviewer, reason="Left the roster")
    reviewer.refresh_from_db()
    assert reviewer.is_active is False
    event = AuditEvent.objects.get(verb="user.deactivate")
    assert event.note == "Left the roster"
    assert event.after == {"is_active": False}


def test_a_reason_is_required(secretariat, reviewer):
    with pytest.raises(ValidationFailed) as err:
        user_deactivate(actor=secretariat, user=reviewer, reason="  ")
    assert "reason" in err.value.field_errors
    reviewer.refresh_from_db()
    assert reviewer.is_active


def test_nobody_deactivates_themselves(secretariat, colleague):
    with pytest.raises(StateConflict, match="your own"):
        user_deactivate(actor=secretariat, user=secretariat, reason="Testing")


def test_only_the_secretariat_deactivates(board_member, reviewer):
    with pytest.raises(NotAllowed):
        user_deactivate(actor=board_member, user=reviewer, reason="No")


def test_deactivating_twice_is_a_conflict(secretariat, deactivated):
    with pytest.raises(StateConflict):
        user_deactivate(actor=secretariat, user=deactivated, reason="Again")


def test_a_deactivated_user_cannot_sign_in(client, secretariat, reviewer):
    user_deactivate(actor=secretariat, user=reviewer, reason="Left")
    response = client.post(reverse("accounts:login"),
                           {"username": reviewer.username, "password": PASSWORD})
    assert response.status_code == 200  # the form again, with its error
    assert "_auth_user_id" not in client.session
    assert "This account is deactivated" in response.content.decode()
    wrong = client.post(reverse("accounts:login"),
                        {"username": reviewer.username, "password": "not-the-password"})
    assert "This account is deactivated" not in wrong.content.decode()  # nothing to learn


def test_a_deactivated_users_session_stops_working(login, secretariat, reviewer):
    client = login(reviewer)
    assert client.get(reverse("grants:my-reviews")).status_code == 200
    user_deactivate(actor=secretariat, user=reviewer, reason="Left")
    response = client.get(reverse("grants:my-reviews"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response.url


def test_a_deactivated_users_token_stops_working(token_client, secretariat, reviewer):
    from fundapp.accounts.models import ApiToken

    client = token_client(reviewer)
    assert client.get("/api/v1/reviews/").status_code == 200
    user_deactivate(actor=secretariat, user=reviewer, reason="Left")
    assert client.get("/api/v1/reviews/").status_code == 401
    assert not ApiToken.objects.filter(user=reviewer).exists()


def test_pending_reviews_are_listed_and_the_colleagues_told(secretariat, colleague, reviewer):
    app = eligible_application()
    review = assign(app, reviewer)
    user_deactivate(actor=secretariat, user=reviewer, reason="Left")
    assert pending_work_of(reviewer).reviews == [review]
    told = Notification.objects.get(kind="account_deactivated_work")
    assert told.recipient == colleague
    assert told.data["reviews"] == 1
    text = render_notification(told, "en").text
    assert f"{reviewer.display_name} still had 1 review not submitted." in text
    assert "Board session" not in text and "(s)" not in text   # no votes pending: not said


def test_reactivation_lets_the_person_in_again(client, secretariat, deactivated):
    user_reactivate(actor=secretariat, user=deactivated, reason="Back on the roster")
    deactivated.refresh_from_db()
    assert deactivated.is_active
    assert AuditEvent.objects.filter(verb="user.reactivate", note="Back on the roster").exists()
    assert client.login(username=deactivated.username, password=PASSWORD)


def test_reactivating_an_active_account_is_a_conflict(secretariat, reviewer):
    with pytest.raises(StateConflict):
        user_reactivate(actor=secretariat, user=reviewer, reason="?")


def test_deactivated_reviewers_leave_the_pool(token_client, secretariat, reviewer):
    user_deactivate(actor=secretariat, user=reviewer, reason="Left")
    body = token_client(secretariat).get("/api/v1/users/", {"role": Role.REVIEWER}).json()
    assert reviewer.username not in [u["username"] for u in body["results"]]


def test_the_person_page_says_when_who_and_why(login, secretariat, reviewer):
    secretariat.first_name, secretariat.last_name = "Grace", "Mensah"
    secretariat.save()
    user_deactivate(actor=secretariat, user=reviewer, reason="Left the roster")
    html = login(secretariat).get(reverse("grants:person-detail", args=[reviewer.pk])) \
        .content.decode()
    assert "by Grace Mensah." in html and "Reason: Left the roster" in html
    assert "Reactivate the account" in html


def test_a_closed_account_is_not_reactivated_nor_given_roles(login, secretariat, reviewer):
    from grants.services.people import user_roles_set
    from grants.services.privacy import person_anonymise

    person_anonymise(actor=secretariat, user=reviewer, reason="Asked to be forgotten")
    reviewer.refresh_from_db()
    assert not reviewer.is_active
    with pytest.raises(StateConflict, match="closed"):
        user_reactivate(actor=secretariat, user=reviewer, reason="Back?")
    with pytest.raises(StateConflict, match="closed"):
        user_roles_set(actor=secretariat, user=reviewer, roles=[Role.REVIEWER])
    reviewer.refresh_from_db()
    assert not reviewer.is_active
    client = login(secretariat)
    html = client.get(reverse("grants:person-detail", args=[reviewer.pk])).content.decode()
    assert "Account closed" in html and "its personal data erased" in html
    assert "Reactivate the account" not in html and "Save the roles" not in html
    response = client.post(reverse("grants:person-reactivate", args=[reviewer.pk]),
                           {"reason": "Back?"})
    assert response.status_code == 400 and "cannot be used again" in response.content.decode()
