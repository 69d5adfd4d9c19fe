"""ngo1 invites a colleague in a real browser; the colleague opens the link from the e-mail,
creates an account and starts a draft; a viewer of the organisation sees no edit button.
Every page is checked with axe-core and the Content-Security-Policy."""

import email
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from grants.models import Application, Membership, OrgRole
from tests.factories import CallFactory, ngo_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = next(iter(sorted((Path(__file__).resolve().parents[2] / "static" / "vendor")
                       .glob("axe-core-*.min.js"))))
COLLEAGUE_PASSWORD = "Harbour-of-Hope-colleague-7"
CSP_LISTENER_JS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  (e) => window.__csp.push(e.effectiveDirective + ' ' + (e.blockedURI || 'inline')));
"""


@pytest.fixture
def mail_folder(settings, tmp_path) -> Path:
    """E-mail written to files, as the demo does in var/mail/."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    return tmp_path / "mail"


def _invitation_link(folder: Path, address: str) -> str:
    for path in sorted(folder.glob("*.log")):
        message = email.message_from_bytes(path.read_bytes())
        if address not in message["To"]:
            continue
        text = next(p for p in message.walk() if p.get_content_type() == "text/plain")
        body = text.get_payload(decode=True).decode(text.get_content_charset() or "utf-8")
        return re.search(r"https?://\S+/invitations/[A-Za-z0-9_-]+/", body).group(0)
    raise AssertionError(f"no e-mail to {address}")


def _checked(page, base):
    """No CSP refusal and no serious axe-core violation on this page."""
    assert page.evaluate("() => window.__csp") == []
    page.add_script_tag(url=f"{base}/static/vendor/{AXE.name}")
    violations = page.evaluate(
        "() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations"
        ".filter(v => ['serious', 'critical'].includes(v.impact)).map(v => v.id))")
    assert violations == [], violations


def _sign_in(page, base, username, password):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_load_state()


def test_a_colleague_is_invited_joins_and_drafts(live_server, browser, page, ngo, password,
                                                 organisation, mail_folder, settings):
    settings.SITE_URL = base = live_server.url
    call = CallFactory(title_en="Eighth call for proposals")
    page.context.add_init_script(CSP_LISTENER_JS)

    _sign_in(page, base, ngo.username, password)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Members").click()
    expect(page.get_by_role("heading", name=f"Members of {organisation.name}")).to_be_visible()
    _checked(page, base)
    page.get_by_label("E-mail address").fill("chinwe@example.org")
    page.locator("#id_role").select_option("editor")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("An invitation is on its way to chinwe@example.org")).to_be_visible()
    expect(page.get_by_role("cell", name="chinwe@example.org", exact=True)).to_be_visible()
    _checked(page, base)

    colleague = browser.new_context()
    colleague.add_init_script(CSP_LISTENER_JS)
    other = colleague.new_page()
    other.goto(_invitation_link(mail_folder, "chinwe@example.org"))
    expect(other.get_by_role("heading", name=f"Join {organisation.name}")).to_be_visible()
    _checked(other, base)
    other.locator("#id_username").fill("chinwe")
    other.locator("#id_password").fill(COLLEAGUE_PASSWORD)
    other.locator("#id_password_again").fill(COLLEAGUE_PASSWORD)
    other.get_by_role("button", name="Create the account and join").click()
    expect(other.get_by_text(f"you are now a member of {organisation.name}")).to_be_visible()
    assert Membership.objects.get(user__username="chinwe").role == OrgRole.EDITOR

    other.goto(f"{base}/calls/{call.pk}/")
    other.get_by_role("button", name="Apply").click()
    other.wait_for_url(re.compile(r"/applications/\d+/edit/"))
    other.fill("#id_title", "Legal aid desk in Benin City")
    other.get_by_role("button", name="Save draft").click()
    expect(other.get_by_text("Your draft is saved.")).to_be_visible()
    draft = Application.objects.get(call=call)
    assert (draft.organisation, draft.created_by.username) == (organisation, "chinwe")
    colleague.close()


def test_a_viewer_sees_the_draft_but_no_edit_button(live_server, page, organisation, password):
    from tests.factories import ApplicationFactory

    base = live_server.url
    viewer = ngo_user(organisation, org_role=OrgRole.VIEWER, username="ngo1-viewer")
    draft = ApplicationFactory(organisation=organisation, title="Shelter in Lagos")
    page.context.add_init_script(CSP_LISTENER_JS)
    _sign_in(page, base, viewer.username, password)
    page.goto(f"{base}/applications/{draft.pk}/")
    expect(page.get_by_role("heading", name="Shelter in Lagos")).to_be_visible()
    expect(page.get_by_role("link", name="Continue editing")).to_have_count(0)
    _checked(page, base)
    page.goto(f"{base}/organisation/members/")
    expect(page.get_by_role("button", name="Send the invitation")).to_have_count(0)
    _checked(page, base)
