"""A trustee votes the whole agenda on one ballot sheet in a real browser: pre-fills it,
changes one row, saves the draft, reloads it, submits; the Chair sees who has voted. Every
page is checked with axe-core and the Content-Security-Policy; screenshots go to
/tmp/shots/ballot/ (BALLOT_SHOTS overrides)."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from grants.models import BallotDraft, Vote
from tests.browser.pages import CSP_LISTENER_JS, assert_checked, sign_in
from tests.grants.board.helpers import ample_fund, meeting, recommended_call

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("BALLOT_SHOTS", "/tmp/shots/ballot"))


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"browser-{name}.png"), full_page=False)


def row(page, item):
    return page.locator(f"#item-{item.pk}")


def test_a_trustee_prefills_changes_saves_reloads_and_submits(live_server, page, seated,
                                                              secretariat, password,
                                                              monkeypatch):
    ample_fund(monkeypatch)
    chair, trustees = seated
    session = meeting(recommended_call(), secretariat)
    first, second, reserve = session.items.all()
    base = live_server.url
    page.context.add_init_script(CSP_LISTENER_JS)
    page.set_viewport_size({"width": 1280, "height": 900})

    sign_in(page, base, trustees[0].username, password)
    page.goto(f"{base}/board/sessions/{session.pk}/")
    expect(page.get_by_role("heading", name="Your ballot")).to_be_visible()
    assert_checked(page)
    shoot(page, "sheet")

    page.get_by_role("button", name="Approve all recommended, decline the reserve").click()
    page.wait_for_load_state()
    expect(row(page, first).get_by_label("Approve", exact=True)).to_be_checked()
    expect(row(page, reserve).get_by_label("Decline", exact=True)).to_be_checked()
    expect(row(page, reserve).get_by_label("Feedback to the applicant")).to_have_value(
        "The application is on the reserve list: the recommended portfolio uses the "
        "call's envelope.")
    # ballot.js shows the fields that go with the vote: no amount with a decline
    expect(row(page, reserve).get_by_label("Amount (USD), if lower than requested")).to_be_hidden()
    expect(row(page, first).get_by_label("Amount (USD), if lower than requested")).to_be_visible()
    assert not Vote.objects.exists() and not BallotDraft.objects.exists()
    assert_checked(page)

    row(page, second).get_by_label("Abstain", exact=True).check()  # the member changes one row
    expect(row(page, second).get_by_label("Feedback to the applicant")).to_be_hidden()
    row(page, first).get_by_label("Conditions (with an approval)").fill("Quarterly visits.")
    page.get_by_role("button", name="Save as draft").last.click()
    page.wait_for_load_state()
    expect(page.get_by_text("Your ballot is saved as a draft")).to_be_visible()
    assert len(BallotDraft.objects.get().votes) == 3 and not Vote.objects.exists()

    page.reload()
    expect(row(page, second).get_by_label("Abstain", exact=True)).to_be_checked()
    expect(row(page, first).get_by_label("Conditions (with an approval)")).to_have_value(
        "Quarterly visits.")
    expect(page.get_by_text("counts only once you submit the ballot")).to_be_visible()
    details = row(page, first).locator("details")
    details.locator("summary").click()
    expect(details.get_by_text("Reviews' summary")).to_be_visible()
    assert_checked(page)
    shoot(page, "draft-reloaded")

    page.get_by_role("button", name="Submit ballot").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Your ballot is recorded: 3 votes.")).to_be_visible()
    votes = {v.item_id: v for v in Vote.objects.filter(member=trustees[0])}
    assert [votes[i.pk].vote for i in (first, second, reserve)] == ["approve", "abstain",
                                                                     "decline"]
    assert votes[first.pk].conditions == "Quarterly visits."
    assert not BallotDraft.objects.exists()
    assert_checked(page)
    shoot(page, "submitted")

    chair_page = page.context.browser.new_context(viewport={"width": 390, "height": 844})
    chair_page.add_init_script(CSP_LISTENER_JS)
    phone = chair_page.new_page()
    sign_in(phone, base, chair.username, password)
    phone.goto(f"{base}/board/sessions/{session.pk}/")
    members = phone.locator("#members-h + ul")
    expect(members).to_contain_text("voted 3 of 3")
    expect(phone.get_by_role("heading", name="Close the session")).to_be_visible()
    assert_checked(phone)
    shoot(phone, "chair-phone")
    chair_page.close()


def test_a_bad_row_is_shown_next_to_itself_in_the_browser(live_server, page, seated,
                                                          secretariat, password, monkeypatch):
    ample_fund(monkeypatch)
    _chair, trustees = seated
    session = meeting(recommended_call(), secretariat)
    first, _second, reserve = session.items.all()
    base = live_server.url
    page.context.add_init_script(CSP_LISTENER_JS)
    sign_in(page, base, trustees[1].username, password)
    page.goto(f"{base}/board/sessions/{session.pk}/")
    row(page, first).get_by_label("Approve", exact=True).check()
    row(page, first).get_by_label("Conditions (with an approval)").fill("Keep me.")
    row(page, reserve).get_by_label("Decline", exact=True).check()
    page.get_by_role("button", name="Submit ballot").click()
    page.wait_for_load_state()
    expect(row(page, reserve)).to_contain_text("feedback with a decline")
    expect(row(page, first).get_by_label("Conditions (with an approval)")).to_have_value(
        "Keep me.")
    assert not Vote.objects.exists()
    assert_checked(page)
    shoot(page, "bad-row")
