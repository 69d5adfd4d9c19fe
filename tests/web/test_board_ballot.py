"""The ballot sheet on the web: one submit for the whole agenda, a bad row shown next to
itself with the rest kept as typed, the pre-fill, the draft, the Chair's view, the Board
pack, and the page's cost with 3 or 30 items."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from grants.models import BallotDraft, Vote
from grants.services.board import board_ballot_draft_save, board_vote_cast
from tests.grants.board.helpers import meeting, recommended_call
from tests.pdf_text import pdf_text
from tests.queries import queries_for_get

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("funded")]


@pytest.fixture
def session(seated, secretariat):
    return meeting(recommended_call(), secretariat)


def page_url(session):
    return reverse("grants:board-session", args=[session.pk])


def ballot_url(session):
    return reverse("grants:board-ballot", args=[session.pk])


def sheet(session, action="submit", **rows):
    """The posted sheet: ``rows`` by position (``r1={"vote": "approve"}``)."""
    items = {i.position: i for i in session.items.all()}
    data = {"action": action}
    for key, values in rows.items():
        item = items[int(key[1:])]
        data.update({f"item-{item.pk}-{name}": value for name, value in values.items()})
    return data


def test_one_submit_records_the_whole_agenda(login, session, trustee):
    client = login(trustee)
    response = client.post(ballot_url(session), sheet(
        session, r1={"vote": "approve", "amount_usd": "45 000,00", "conditions": "Audit."},
        r2={"vote": "abstain"},
        r3={"vote": "decline", "feedback": "The envelope is used."}))
    assert response.status_code == 302
    votes = {v.item.position: v for v in Vote.objects.filter(member=trustee)}
    assert [votes[n].vote for n in (1, 2, 3)] == ["approve", "abstain", "decline"]
    assert votes[1].amount_usd == Decimal("45000.00") and votes[1].conditions == "Audit."
    page = client.get(response["Location"]).content.decode()
    assert "Your ballot is recorded: 3 votes." in page
    assert "Your recorded vote: Abstain" in page


def test_a_bad_row_shows_its_error_and_keeps_the_others_as_typed(login, session, trustee):
    response = login(trustee).post(ballot_url(session), sheet(
        session, r1={"vote": "approve", "conditions": "KEEP-THESE-CONDITIONS"},
        r2={"vote": "approve", "amount_usd": "999999999"},
        r3={"vote": "decline", "feedback": ""}))
    assert response.status_code == 400
    assert not Vote.objects.exists()
    html = response.content.decode()
    second, third = list(session.items.all())[1:]
    row2 = html[html.index(f'id="item-{second.pk}"'):html.index(f'id="item-{third.pk}"')]
    row3 = html[html.index(f'id="item-{third.pk}"'):]
    assert "cannot exceed" in row2 and 'value="999999999"' in row2
    assert "feedback with a decline" in row3
    assert "KEEP-THESE-CONDITIONS" in html
    assert "needs correcting" in html
    corrections = html[html.index("Rows to correct"):html.index('id="ballot-form"')]
    assert f'href="#item-{second.pk}"' in corrections and f'href="#item-{third.pk}"' in corrections
    assert f'href="#item-{session.items.first().pk}"' not in corrections


def test_the_prefill_fills_the_empty_rows_and_saves_nothing(login, session, trustee):
    response = login(trustee).post(ballot_url(session), sheet(
        session, "prefill", r2={"vote": "abstain"}))
    assert response.status_code == 200
    assert not Vote.objects.exists() and not BallotDraft.objects.exists()
    first, second, reserve = session.items.all()
    html = response.content.decode()
    assert _checked(html, first.pk, "approve")
    assert _checked(html, second.pk, "abstain")  # what the member chose is kept
    assert _checked(html, reserve.pk, "decline")
    assert "reserve list" in html[html.index(f'id="item-{reserve.pk}"'):]


def _checked(html, item_pk, value):
    return re.search(rf'<input type="radio" name="item-{item_pk}-vote" value="{value}"[^>]*'
                     r'checked', html) is not None


def test_the_draft_is_saved_and_reloaded(login, session, trustee):
    client = login(trustee)
    response = client.post(ballot_url(session), sheet(
        session, "draft", r1={"vote": "approve", "conditions": "DRAFTED-CONDITION"},
        r3={"vote": "decline"}))  # a draft may be incomplete: nothing is checked
    assert response.status_code == 302
    assert not Vote.objects.exists()
    assert len(BallotDraft.objects.get(member=trustee).votes) == 2
    html = client.get(page_url(session)).content.decode()
    first = session.items.first()
    assert "DRAFTED-CONDITION" in html and _checked(html, first.pk, "approve")
    assert "counts only once you submit" in html


def test_submitting_deletes_the_draft(login, session, trustee):
    first = session.items.first()
    board_ballot_draft_save(actor=trustee, session=session,
                            votes={str(first.pk): {"vote": "approve"}})
    response = login(trustee).post(ballot_url(session), sheet(session, r1={"vote": "approve"}))
    assert response.status_code == 302
    assert not BallotDraft.objects.exists() and Vote.objects.count() == 1


def test_an_empty_ballot_is_refused(login, session, trustee):
    response = login(trustee).post(ballot_url(session), sheet(session))
    assert response.status_code == 400
    assert "at least one application" in response.content.decode()


@pytest.mark.parametrize("role,expected", [("secretariat", 403), ("board_member", 403),
                                           ("ngo", 403), ("anonymous", 302)])
def test_only_sitting_members_post_a_ballot(login, request, session, role, expected):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    response = login(user).post(ballot_url(session), sheet(session, r1={"vote": "approve"}))
    assert response.status_code == expected
    assert not Vote.objects.exists()


def test_the_chair_sees_who_voted_what_is_missing_and_the_drafts(login, session, chair,
                                                                  trustees):
    first = session.items.first()
    board_vote_cast(actor=trustees[0], session=session, application=first.application,
                    vote="approve")
    board_ballot_draft_save(actor=trustees[1], session=session,
                            votes={str(first.pk): {"vote": "abstain"}})
    html = login(chair).get(page_url(session)).content.decode()
    members = html[html.index('id="members-h"'):html.index('id="close-h"')]
    assert "voted 1 of 3" in members and "missing items: 2, 3" in members
    assert members.count("draft saved") == 1
    close = html[html.index('id="close-h"'):]
    assert "Closing now would freeze" in close and "grants are created" in close
    assert 'name="confirmed"' in close  # closing asks for a confirmation
    other = login(trustees[2]).get(page_url(session)).content.decode()
    assert "draft saved" not in other  # a trustee does not see the others' drafts


def test_the_rows_word_the_score_country_and_money(login, session, trustee, organisation):
    html = login(trustee).get(page_url(session)).content.decode()
    assert "USD 50,000.00" in html and "Recommended" in html
    assert "of 100" in html  # the score
    assert "Highest score in its country." in html  # the portfolio's reason
    assert "Breadcrumb" in html and reverse("grants:board-home") in html
    assert reverse("grants:board-session-pack", args=[session.pk]) in html


def test_details_open_in_place_and_hide_reviews_from_a_recused_member(login, session,
                                                                       trustee):
    first = session.items.first()
    board_vote_cast(actor=trustee, session=session, application=first.application,
                    vote="recuse")
    html = login(trustee).get(page_url(session)).content.decode()
    row = html[html.index(f'id="item-{first.pk}"'):]
    row = row[:row.index("</li>\n")] if "</li>\n" in row else row
    assert "<details" in row and "Documents" in row
    assert "Reviews&#x27; summary" not in row and "Reviews' summary" not in row
    assert f'name="item-{first.pk}-vote"' not in html  # no vote on a recused row


@pytest.mark.parametrize("role,expected", [("trustee", 200), ("secretariat", 200),
                                           ("ngo", 403), ("donor", 403)])
def test_the_board_pack_is_a_pdf_of_the_whole_agenda(login, request, session, role,
                                                     expected):
    response = login(request.getfixturevalue(role)).get(
        reverse("grants:board-session-pack", args=[session.pk]))
    assert response.status_code == expected
    if expected == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")


def test_the_pack_text_covers_every_agenda_item(login, session, trustee):
    response = login(trustee).get(reverse("grants:board-session-pack", args=[session.pk]))
    text = pdf_text(response.content)
    for item in session.items.all():
        assert item.application.reference in text
    assert "Reserve no. 1" in text


def test_the_sheet_costs_the_same_with_3_or_30_items(login, secretariat, seated):
    chair, members = seated
    small = meeting(recommended_call(included=(Decimal("20000"),) * 2,
                                     reserve=(Decimal("10000"),)), secretariat)
    big = meeting(recommended_call(included=(Decimal("20000"),) * 25,
                                   reserve=(Decimal("10000"),) * 5), secretariat)
    for session in (small, big):
        first = session.items.first()
        board_vote_cast(actor=members[1], session=session, application=first.application,
                        vote="approve")
        board_ballot_draft_save(actor=members[0], session=session,
                                votes={str(first.pk): {"vote": "abstain"}})
    assert big.items.count() == 30
    for user in (members[0], chair, secretariat):
        client = login(user)
        few = queries_for_get(client, page_url(small))
        assert queries_for_get(client, page_url(big)) == few <= 28, user
