"""After closing, the fund's pages name the person "Former member"."""

import pytest

from fundapp.accounts.display import person_name
from grants.services.board import board_session_close, board_vote_cast
from grants.services.privacy import account_close
from tests.factories import PASSWORD
from tests.grants.board.helpers import meeting, recommended_call

from .helpers import reread

pytestmark = pytest.mark.django_db


def test_person_name_is_former_member_once_anonymised(ngo, django_capture_on_commit_callbacks):
    ngo.first_name, ngo.last_name = "Amina", "Okafor"
    assert person_name(ngo) == "Amina Okafor"
    with django_capture_on_commit_callbacks(execute=True):
        account_close(actor=ngo, password=PASSWORD)
    assert person_name(reread(ngo)) == "Former member"
    assert person_name(None) == ""


def test_the_board_session_page_shows_a_closed_trustees_vote_as_former_member(
        secretariat, chair, trustees, funded, login, django_capture_on_commit_callbacks):
    voter = trustees[0]
    voter.first_name, voter.last_name = "Tomas", "Trustee"
    voter.save()
    session = meeting(recommended_call(), secretariat)
    for item in session.items.all():
        for user in (chair, voter, trustees[1]):
            board_vote_cast(actor=user, session=session, application=item.application,
                            vote="approve")
    board_session_close(actor=chair, session=session)
    with django_capture_on_commit_callbacks(execute=True):
        account_close(actor=reread(voter), password=PASSWORD)
    page = login(secretariat).get(f"/board/sessions/{session.pk}/")
    assert page.status_code == 200
    assert "Former member" in page.content.decode()
    assert "Tomas" not in page.content.decode()
