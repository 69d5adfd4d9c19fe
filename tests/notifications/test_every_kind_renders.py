"""Every registered notification kind, rendered to the e-mail a person receives.

The kinds come from the registry, so a new kind is covered as soon as it is registered (and
fails until ``samples.py`` holds the data its service sends).
"""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.utils import translation

from fundapp.notifications.kinds import KINDS
from fundapp.notifications.models import Notification
from fundapp.notifications.rendering import build_digest, build_email
from tests.factories import UserFactory
from tests.notifications.samples import SAMPLES

ESCAPED_TAG = re.compile(r"&lt;/?(p|strong|em|a|br|ul|ol|li|h\d|div|span|table)\b", re.I)
TAG = re.compile(r"</?[a-z][a-z0-9]*(\s[^<>]*)?/?>", re.I)
PLURAL_GUESS = re.compile(r"\w\((s|es|e\)\(s)\)")
TIGHT_FRENCH_MARK = re.compile(r"[^\s\xa0\u202f][:;](\s|$)")


class _Page(HTMLParser):
    """The text a mail client shows and the links it offers."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.text: list[str] = []
        self.tags: set[str] = set()
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        if tag in ("head", "title", "style"):
            self._skip += 1
        if tag == "a":
            self.links.append(dict(attrs).get("href") or "")

    def handle_endtag(self, tag):
        if tag in ("head", "title", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.text.append(data.strip())


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def _notification(kind: str, language: str) -> Notification:
    user = UserFactory(username=f"{kind[:20]}-{language}", language=language,
                       email=f"{kind}-{language}@example.org", first_name="Amina",
                       last_name="Diallo")
    return Notification.objects.create(recipient=user, kind=kind, data=SAMPLES[kind],
                                       language=language)


def _html_part(message) -> str:
    (html, mimetype), = message.alternatives
    assert mimetype == "text/html"
    return html


def test_every_registered_kind_has_sample_data():
    missing = sorted(set(KINDS) - set(SAMPLES))
    assert not missing, f"add sample data to tests/notifications/samples.py for {missing}"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr", "es", "ar", "ru", "zh-hans"])
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_email_reads_as_intended(kind, language):
    n = _notification(kind, language)
    message = build_email(n)
    html = _html_part(message)
    page = _parse(html)
    link = f"{settings.SITE_URL}{SAMPLES[kind]['url']}"

    assert not ESCAPED_TAG.search(html), f"{kind}: HTML part shows its markup as text"
    assert {"p", "a"} <= page.tags
    body = " ".join(page.text)
    assert len(body) > 80, f"{kind}: empty HTML body"
    assert link in page.links, f"{kind}: no link to {link} in {page.links}"
    assert all(href.startswith(settings.SITE_URL) for href in page.links), page.links
    assert not TAG.search(message.body), f"{kind}: tags in the text part"
    assert link in message.body
    # one link to the object, worded for it: the message does not repeat the footer's link
    assert len(re.findall(re.escape(link) + r"(?:\s|$)", message.body)) == 1, kind
    assert page.links.count(link) == 1, kind
    assert "\n" not in message.subject and message.subject.startswith("[FundApp] ")
    assert f'lang="{language}"' in html
    assert f'dir="{"rtl" if language == "ar" else "ltr"}"' in html
    given = [str(v) for v in SAMPLES[kind].values() if isinstance(v, str)]  # typed by people
    for text in (message.subject, message.body, body):
        for words in given:
            text = text.replace(words, "…")
        assert not PLURAL_GUESS.search(text), f"{kind}: a count worded '(s)': {text!r}"
        if language == "fr":  # French puts a (no-break) space before ":" and ";"
            assert not TIGHT_FRENCH_MARK.search(text), f"{kind}: {text!r}"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "es", "ar", "ru", "zh-hans"])
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_subject_is_translated(kind, language):
    with translation.override("en"):
        english = str(KINDS[kind].subject)
    with translation.override(language):
        translated = str(KINDS[kind].subject)
    assert translated != english, f"{kind}: {language} subject untranslated: {english!r}"
    n = _notification(kind, language)
    assert "Dear" not in build_email(n).body


@pytest.mark.django_db
def test_digest_shows_real_markup_and_absolute_links():
    user = UserFactory(username="digest", language="fr", email="digest@example.org")
    rows = [Notification.objects.create(recipient=user, kind=kind, data=SAMPLES[kind],
                                        language="fr")
            for kind in ("call_deadline_reminder", "clarification_answered", "review_reminder")]
    message = build_digest(user, rows)
    html = _html_part(message)
    page = _parse(html)
    assert not ESCAPED_TAG.search(html)
    assert not TAG.search(message.body)
    for n in rows:
        assert f"{settings.SITE_URL}{n.url}" in page.links
        assert f"{settings.SITE_URL}{n.url}" in message.body


@pytest.mark.django_db
def test_a_member_states_receipt_names_it_in_the_readers_language():
    french = build_email(_notification("contribution_receipt", "fr")).body
    assert "Allemagne" in french and "Germany" not in french
    assert "contribution of Germany" in build_email(
        _notification("contribution_receipt", "en")).body
