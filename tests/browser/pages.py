"""What the browser tests of single features share: signing in, the e-mails the app wrote to
the mail folder, and the checks every page must pass (axe-core, the Content-Security-Policy).

The journeys (tests/browser/journeys/) have their own, richer harness with screenshots."""

import email
import re
from pathlib import Path
from urllib.parse import urlsplit

AXE = next(iter(sorted((Path(__file__).resolve().parents[2] / "static" / "vendor")
                       .glob("axe-core-*.min.js"))))
# Added to a context with add_init_script: records every refusal of the page's CSP.
CSP_LISTENER_JS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  (e) => window.__csp.push(e.effectiveDirective + ' ' + (e.blockedURI || 'inline')));
"""
SERIOUS_AXE_VIOLATIONS_JS = (
    "() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations"
    ".filter(v => ['serious', 'critical'].includes(v.impact)).map(v => v.id))")


def sign_in(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_load_state()


def assert_accessible(page) -> None:
    """No serious or critical axe-core violation. axe-core comes from the app's own static
    files ('self'), so the page's CSP allows it."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(page.url))
    page.add_script_tag(url=f"{origin}/static/vendor/{AXE.name}")
    violations = page.evaluate(SERIOUS_AXE_VIOLATIONS_JS)
    assert violations == [], violations


def assert_checked(page) -> None:
    """No CSP refusal since the page loaded (needs CSP_LISTENER_JS), and accessible."""
    assert page.evaluate("() => window.__csp") == []
    assert_accessible(page)


def mail_texts(folder: Path, address: str) -> list[str]:
    """The text parts of the e-mails written to ``folder`` for ``address``, oldest first."""
    texts = []
    for path in sorted(folder.glob("*.log"), key=lambda p: p.stat().st_mtime):
        message = email.message_from_bytes(path.read_bytes())
        if address not in (message["To"] or ""):
            continue
        text = next(p for p in message.walk() if p.get_content_type() == "text/plain")
        texts.append(text.get_payload(decode=True).decode(text.get_content_charset() or "utf-8"))
    return texts


def link_in_mail(folder: Path, address: str, pattern: str) -> str:
    """The last link matching ``pattern`` e-mailed to ``address``."""
    for body in reversed(mail_texts(folder, address)):
        found = re.search(pattern, body)
        if found:
            return found.group(0)
    raise AssertionError(f"no e-mail to {address} with a link like {pattern}")
