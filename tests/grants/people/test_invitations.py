"""Staff invitations: what each role's details become once the person accepts."""

from datetime import date

import pytest

from fundapp.accounts.roles import Role, roles_of
from fundapp.core.errors import NotAllowed, NotFound, ValidationFailed
from grants.models import BoardMembership, ReviewerProfile
from grants.services.invitations import invitation_accept, invitation_revoke
from grants.services.people import staff_invite
from tests.donors.factories import DonorFactory

pytestmark = pytest.mark.django_db


def _accept(secretariat, email, roles, details=None, username="newcomer"):
    from grants.services.invitations import invitation_create

    # staff_invite keeps the raw token in the e-mail only; tests read it from the service
    # it calls, with the same checked roles and details.
    from grants.services.people import staff_invitation_details

    roles, details = staff_invitation_details(secretariat, roles, details)
    _invitation, token = invitation_create(actor=secretariat, email=email, roles=roles,
                                           details=details)
    user = invitation_accept(token=token, username=username, password="a-long-passphrase-1")
    user._fund_roles = None
    return user


def test_an_invited_reviewer_joins_the_pool_with_expertise_and_languages(secretariat):
    from grants.services.reviews import reviewer_pool

    user = _accept(secretariat, "expert@example.org", [Role.REVIEWER],
                   {"expertise": "Trauma care", "languages": "French, Arabic",
                    "is_external": False})
    assert user in reviewer_pool()
    profile = ReviewerProfile.objects.get(user=user)
    assert "Trauma care" in profile.expertise and "French, Arabic" in profile.expertise
    assert profile.is_external is False


def test_an_invited_board_member_gets_the_seat_for_the_term(secretariat):
    user = _accept(secretariat, "trustee@example.org", [Role.BOARD],
                   {"term_start": "2027-01-01", "term_end": "2029-12-31"})
    seat = BoardMembership.objects.get(user=user)
    assert (seat.term_start, seat.term_end) == (date(2027, 1, 1), date(2029, 12, 31))
    assert roles_of(user) == {Role.BOARD}


def test_invited_donor_staff_see_their_donor(secretariat):
    donor = DonorFactory(name="Luxembourg")
    user = _accept(secretariat, "lux@example.org", [Role.DONOR], {"donor": donor.pk})
    assert list(donor.users.all()) == [user]
    assert roles_of(user) == {Role.DONOR}


def test_an_invited_colleague_gets_the_secretariat_role_only(secretariat):
    user = _accept(secretariat, "colleague@example.org", [Role.SECRETARIAT])
    assert roles_of(user) == {Role.SECRETARIAT}
    assert not BoardMembership.objects.filter(user=user).exists()


def test_a_board_invitation_needs_its_term(secretariat):
    with pytest.raises(ValidationFailed) as err:
        staff_invite(actor=secretariat, email="t@example.org", roles=[Role.BOARD], details={})
    assert "term_start" in err.value.field_errors


def test_a_donor_invitation_needs_an_existing_donor(secretariat):
    with pytest.raises(ValidationFailed) as err:
        staff_invite(actor=secretariat, email="d@example.org", roles=[Role.DONOR],
                     details={"donor": 999999})
    assert "donor" in err.value.field_errors


def test_an_ngo_role_cannot_be_given_by_a_staff_invitation(secretariat):
    with pytest.raises(ValidationFailed):
        staff_invite(actor=secretariat, email="n@example.org", roles=[Role.NGO])


def test_only_the_secretariat_invites_staff(board_member):
    with pytest.raises(NotAllowed):
        staff_invite(actor=board_member, email="x@example.org", roles=[Role.REVIEWER])


def test_a_revoked_invitation_cannot_be_accepted(secretariat):
    from grants.services.invitations import invitation_create

    invitation, token = invitation_create(actor=secretariat, email="late@example.org",
                                          roles=[Role.REVIEWER])
    invitation_revoke(actor=secretariat, invitation=invitation)
    with pytest.raises(NotFound):
        invitation_accept(token=token, username="late", password="a-long-passphrase-1")
