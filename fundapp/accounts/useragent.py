"""A short, human summary of a User-Agent header ("Firefox on Windows") for the sessions
page. Rough on purpose: it helps a person recognise their own devices, nothing more."""

import re

from django.utils.translation import gettext as _

BROWSERS = [  # order matters: Edge and Opera also say "Chrome", Chrome also says "Safari"
    ("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chromium/", "Chromium"),
    ("HeadlessChrome/", "Chrome"), ("Chrome/", "Chrome"), ("Safari/", "Safari"),
    ("curl/", "curl"), ("python-requests/", "Python"),
]
SYSTEMS = [
    ("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"),
    ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux"),
]


def _first(pairs, text: str) -> str | None:
    return next((name for marker, name in pairs if marker in text), None)


def browser_summary(user_agent: str) -> str:
    text = re.sub(r"\s+", " ", user_agent or "")
    browser, system = _first(BROWSERS, text), _first(SYSTEMS, text)
    if browser and system:
        return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    return browser or system or _("Unknown browser")
