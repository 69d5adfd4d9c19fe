"""A notification's HTML e-mail, opened in a real browser, reads as formatted text."""

from pathlib import Path

import pytest

from fundapp.notifications.rendering import build_email
from fundapp.notifications.services import notify

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "email"


def _html_part(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


@pytest.mark.parametrize("language", ["en", "fr"])
def test_html_email_shows_formatted_text(page, ngo, language):
    ngo.language = language
    ngo.save(update_fields=["language"])
    [notification] = notify(recipients=[ngo], kind="organisation_rejected", data={
        "organisation": "Women & Girls Shelter Network",
        "reason": "The registration certificate is illegible.\nPlease upload it again."})
    SHOTS.mkdir(parents=True, exist_ok=True)
    source = SHOTS / f"organisation_rejected-{language}.html"
    source.write_text(_html_part(build_email(notification)), encoding="utf-8")
    shot = SHOTS / f"organisation_rejected-{language}.png"

    page.set_viewport_size({"width": 800, "height": 600})
    page.goto(source.as_uri())
    page.screenshot(path=str(shot), full_page=True)
    text = page.inner_text("body")
    where = f"\n  screenshot: {shot}\n  body text: {text!r}"

    for tag in ("<p>", "</p>", "<strong>", "<br>", "&lt;", "&amp;"):
        assert tag not in text, f"the e-mail shows {tag!r} literally{where}"
    assert "Women & Girls Shelter Network" in text, where
    assert page.locator("body p").count() >= 3, f"the message is not in paragraphs{where}"
    assert page.locator("body p strong").count() == 1, where
    # The two lines of the reason are on two lines, not joined with a visible tag.
    assert "illegible.\nPlease upload it again." in text, where
    assert page.get_attribute("html", "lang") == language, where
