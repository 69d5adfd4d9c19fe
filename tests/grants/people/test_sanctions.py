"""Board members and organisations' admins are screened against the sanctions list."""

import pytest
from django.urls import reverse

from fundapp.core.errors import NotAllowed, StateConflict, ValidationFailed
from grants.models import MatchSubject
from grants.selectors.people import person_sanctions_matches
from grants.services.board import board_vote_cast
from grants.services.people import person_sanctions_match_clear
from grants.services.sanctions import sanctions_hits
from tests.factories import OrganisationFactory, ngo_user
from tests.grants.board.helpers import meeting, recommended_call

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("funded")]


@pytest.fixture
def listed_trustee(trustees):
    member = trustees[0]
    member.first_name, member.last_name = "Ibrahim", "Kareem"
    member.save()
    return member


@pytest.fixture
def session(secretariat, seated):
    return meeting(recommended_call(), secretariat)


def _vote(member, session):
    return board_vote_cast(actor=member, session=session,
                           application=session.items.first().application, vote="approve",
                           amount_usd="45000.00")


def test_a_board_members_name_on_the_list_is_a_possible_match(sanctions_list, listed_trustee):
    [match] = person_sanctions_matches(listed_trustee)
    assert (match.entry_reference, match.is_cleared) == ("LYi.901", False)


def test_a_possible_match_holds_the_votes_until_cleared(sanctions_list, secretariat,
                                                        listed_trustee, session):
    with pytest.raises(StateConflict, match="sanctions list"):
        _vote(listed_trustee, session)
    [match] = person_sanctions_matches(listed_trustee)
    person_sanctions_match_clear(actor=secretariat, person=listed_trustee,
                                 entry_reference=match.entry_reference,
                                 matched_name=match.matched_name,
                                 reason="Different date of birth and nationality.")
    assert _vote(listed_trustee, session).vote == "approve"
    [match] = person_sanctions_matches(listed_trustee)
    assert match.is_cleared and match.clearance.note.startswith("Different")


def test_other_trustees_vote_as_before(sanctions_list, trustees, listed_trustee, session):
    assert _vote(trustees[1], session).vote == "approve"


def test_clearing_needs_a_reason_and_the_secretariat(sanctions_list, secretariat,
                                                     listed_trustee, trustees):
    [match] = person_sanctions_matches(listed_trustee)
    key = {"entry_reference": match.entry_reference, "matched_name": match.matched_name}
    with pytest.raises(ValidationFailed):
        person_sanctions_match_clear(actor=secretariat, person=listed_trustee, reason="",
                                     **key)
    with pytest.raises(NotAllowed):
        person_sanctions_match_clear(actor=trustees[1], person=listed_trustee, reason="x",
                                     **key)
    person_sanctions_match_clear(actor=secretariat, person=listed_trustee, reason="Not him",
                                 **key)
    with pytest.raises(StateConflict):
        person_sanctions_match_clear(actor=secretariat, person=listed_trustee,
                                     reason="Again", **key)


def test_people_without_a_seat_are_not_screened_alone(sanctions_list, reviewer):
    reviewer.first_name, reviewer.last_name = "Ibrahim", "Kareem"
    reviewer.save()
    assert person_sanctions_matches(reviewer) == []


def test_an_organisations_admin_is_screened_with_it(sanctions_list):
    organisation = OrganisationFactory(name="Safe Homes")
    ngo_user(organisation, first_name="Amara", last_name="Tesfaye Gebre")
    ngo_user(organisation, org_role="editor", first_name="Ibrahim", last_name="Kareem")
    entries = list(sanctions_list.entries.all())
    hits = sanctions_hits(organisation, entries)
    assert [(h.subject, h.subject_value) for h in hits] == [
        (MatchSubject.PERSON, "Amara Tesfaye Gebre")]


def test_the_match_is_shown_and_cleared_on_the_people_page(login, sanctions_list, secretariat,
                                                           listed_trustee):
    client = login(secretariat)
    url = reverse("grants:person-detail", args=[listed_trustee.pk])
    assert "LYi.901" in client.get(url).content.decode()
    [match] = person_sanctions_matches(listed_trustee)
    response = client.post(reverse("grants:person-sanctions-clear", args=[listed_trustee.pk]),
                           {"entry_reference": match.entry_reference,
                            "matched_name": match.matched_name, "reason": "Not him"})
    assert response.status_code == 302
    assert person_sanctions_matches(listed_trustee)[0].is_cleared


def test_the_secretariat_is_told_when_a_new_list_names_a_board_member(secretariat,
                                                                       listed_trustee):
    from fundapp.notifications.models import Notification
    from grants.services.sanctions import sanctions_list_import
    from tests.grants.reviews.helpers import SAMPLE_LIST

    sanctions_list_import(actor=None, data=SAMPLE_LIST.read_bytes(), source_name="new.xml")
    told = Notification.objects.get(kind="sanctions_person_match")
    assert (told.recipient, told.data["name"]) == (secretariat, listed_trustee.display_name)


def test_a_new_seat_is_screened(sanctions_list, secretariat):
    from datetime import date

    from fundapp.accounts.roles import Role
    from fundapp.notifications.models import Notification
    from grants.services.board import board_membership_add
    from tests.factories import UserFactory

    newcomer = UserFactory(first_name="Ibrahim", last_name="Kareem", roles=[Role.BOARD])
    board_membership_add(actor=secretariat, user=newcomer, role="member",
                         term_start=date(2027, 1, 1))
    assert Notification.objects.filter(kind="sanctions_person_match",
                                       data__name=newcomer.display_name).exists()


def test_an_admins_match_found_in_screening_shows_on_their_people_page(login, sanctions_list,
                                                                        secretariat):
    from grants.services.screening import screening_run
    from tests.grants.reviews.helpers import submitted_application

    organisation = OrganisationFactory(name="Safe Homes")
    admin = ngo_user(organisation, first_name="Amara", last_name="Tesfaye Gebre")
    app = submitted_application(organisation=organisation)
    screening_run(actor=secretariat, application=app)
    page = login(secretariat).get(reverse("grants:person-detail", args=[admin.pk]))
    text = page.content.decode()
    assert "as an organisation&#x27;s admin" in text or "as an organisation's admin" in text
    assert reverse("grants:screening-detail", args=[app.pk]) in text
