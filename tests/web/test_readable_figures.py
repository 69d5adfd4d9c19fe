"""No page of the demo shows a bare ISO country code or an unformatted amount (issue 15).

Each demo role's main pages, and the pages they link to (one step, GET only), are read in
English and in French on the seeded demo. A page fails on:
- a table cell or description (``td``, ``dd``) that is only country codes (``NG`` or
  ``KE, NG``): where a country is expected, its name is;
- an amount beside its currency but without grouping (``USD 1000000.00``,
  ``1500000.00 USD``), or a money column cell that is a bare decimal (``1234567.50``);
- an ISO date in the text (``2026-12-03``) rather than ``3 December 2026``;
- on a French page, an amount in the English order (``USD 1,000.00``, not
  ``1 000,00 USD``).
References, agreement numbers and bank references (``VTF8-0001``, ``VTF-5-031``,
``DEMO-2026-LU-PART``) match none of these. Attributes (``datetime=``, form values) and
scripts are not text and are not read.
"""

import re
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django_countries import countries
from lxml import html as lxml_html

from fundapp.accounts.models import User
from tests.seeding import seeded_once

pytestmark = pytest.mark.django_db

demo = seeded_once(lambda: call_command("seed_demo", stdout=StringIO()))

CODES = {code for code, _name in countries}
CODE_LIST = re.compile(r"^[A-Z]{2}(\s*[,;/]\s*[A-Z]{2})*$")
RAW_AMOUNT = [
    re.compile(r"\b(?:USD|EUR|GBP|CHF|JPY|SEK|NOK|DKK|AUD|CAD)\s?\d{4,}(?:[.,]\d+)?\b"),
    re.compile(r"(?<![\d.,\s\u202f\xa0])\d{4,}(?:[.,]\d{1,2})?\s?(?:USD|EUR|GBP|CHF|JPY)\b"),
]
BARE_DECIMAL = re.compile(r"^-?\d{4,}\.\d{2}$")
ISO_DATE = re.compile(r"(?<![\w-])(19|20)\d\d-[01]\d-[0-3]\d(?![\w-])")

START = {
    "secretariat": ["/dashboard/", "/applications/", "/organisations/", "/ranking/",
                    "/ranking/calls/7/", "/ranking/calls/7/portfolio/", "/grants/portfolio/",
                    "/board/grants/", "/impact/", "/funding/", "/funding/reports/",
                    "/funding/contributions/", "/funding/donors/", "/funding/pledges/",
                    "/board/"],
    "ngo1": ["/dashboard/", "/my/applications/", "/organisation/", "/calls/",
             "/grants/portfolio/"],
    "reviewer1": ["/dashboard/", "/my/reviews/"],
    "chair": ["/dashboard/", "/board/", "/ranking/calls/7/", "/ranking/calls/7/portfolio/",
              "/grants/portfolio/"],
    "donor1": ["/dashboard/", "/donor/", "/donor/contributions/", "/funding/reports/",
               "/transparency/"],
}
SKIP = re.compile(r"(/logout|/admin/|/export|format=|\.pdf|/pdf/|/download|/files?/|"
                  r"/api/|/language/|/jobs/|page=|sort=|/static/|/media/|/accounts/)")
PER_ROLE = 30


def _links(tree, here: str) -> list[str]:
    found = []
    for href in tree.xpath("//main//a/@href"):
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        if SKIP.search(href) or href.startswith("#"):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


FIGURES = ("//*[contains(concat(' ', @class, ' '), ' num ') or contains(@class, 'money') "
           "or contains(@class, 'kpi')]|//dd|//*[local-name()='text']|//*[local-name()='desc']")
ENGLISH_AMOUNT = re.compile(r"\b(?:USD|EUR|GBP|CHF|JPY)\s?\d[\d,]*(?:\.\d+)?")


def _problems(tree, language: str = "en") -> list[str]:
    for bad in tree.xpath("//script|//style|//template|//noscript"):
        bad.drop_tree()
    problems = []
    for cell in tree.xpath("//td|//dd"):
        text = " ".join(" ".join(cell.itertext()).split())
        if CODE_LIST.match(text) and set(re.findall(r"[A-Z]{2}", text)) <= CODES:
            problems.append(f"country code in a cell: {text!r}")
        if BARE_DECIMAL.match(text):
            problems.append(f"unformatted amount in a cell: {text!r}")
    figures = {id(n) for n in tree.xpath(FIGURES)}
    for element in tree.iter():
        # each text apart: a cell's "USD" and the next row's year are not one amount
        for node in (element.text, element.tail) if isinstance(element.tag, str) \
                else (element.tail,):  # a comment's text is not on the page
            text = " ".join((node or "").split())
            if not text:
                continue
            for pattern in RAW_AMOUNT:
                problems += [f"unformatted amount: {m.group(0)!r}"
                             for m in pattern.finditer(text)]
            problems += [f"ISO date: {m.group(0)!r}" for m in ISO_DATE.finditer(text)]
            # French puts the code after (1 234,50 USD). People's own words (a message, a
            # reason) may say "USD 3,000": only the app's figures are held to it.
            figure = (node is element.text and id(element) in figures) \
                or ENGLISH_AMOUNT.fullmatch(text)
            if language == "fr" and figure:
                problems += [f"English amount on a French page: {m.group(0)!r}"
                             for m in ENGLISH_AMOUNT.finditer(text)]
    return problems


def _walk(username: str, language: str, return_seen: bool = False):
    client = Client()
    client.force_login(User.objects.get(username=username),
                       backend="django.contrib.auth.backends.ModelBackend")
    client.cookies["django_language"] = language
    queue, seen, failures = list(START[username]), set(), {}
    depth = {url: 0 for url in queue}
    while queue and len(seen) < PER_ROLE:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        tree = lxml_html.fromstring(response.content)
        assert tree.xpath("//html/@lang")[0] == language, url
        if problems := _problems(tree, language):
            failures[url] = sorted(set(problems))
        if depth[url] == 0:
            for link in _links(tree, url):
                if link not in depth:
                    depth[link] = 1
                    queue.append(link)
    assert len(seen) >= len(START[username])
    return failures if not return_seen else (failures, seen)


@pytest.fixture
def seeded(demo, settings):
    settings.DEBUG = True
    settings.MEDIA_ROOT = str(demo)


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("username", list(START))
def test_the_demo_pages_name_countries_and_word_figures(seeded, username, language):
    failures = _walk(username, language)
    assert not failures, "\n".join(f"{url}: {'; '.join(p)}" for url, p in failures.items())


def test_the_checks_catch_what_they_look_for():
    page = lxml_html.fromstring(
        "<html><body><table><tr><td>NG, KE</td><td>1234567.50</td><td>VTF8-0001</td>"
        "<td>VTF-5-031</td></tr></table><p>USD 1000000.00 on 2026-12-03; DEMO-2026-LU-PART; "
        "USD 1,000,000.00; 1\u202f000\u202f000,00\xa0USD</p></body></html>")
    assert _problems(lxml_html.fromstring("<p>USD 1,000.00</p>"), "fr") == [
        "English amount on a French page: 'USD 1,000.00'"]
    problems = _problems(page)
    assert problems == ["country code in a cell: 'NG, KE'",
                        "unformatted amount in a cell: '1234567.50'",
                        "unformatted amount: 'USD 1000000.00'", "ISO date: '2026-12-03'"]
