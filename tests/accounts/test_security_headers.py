"""Every page says what it may load (Content-Security-Policy) and which browser features it
may use (Permissions-Policy); no template carries inline script or style."""

import re
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db
TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Documents that never reach a browser as pages: e-mails and PDFs (WeasyPrint).
NOT_PAGES = ("notifications/", "accounts/email/", "_pdf.html", "briefing_pack.html",
             "board/pack.html",
             "letters/", "donors/pdf/")


def _directives(header: str) -> dict[str, set[str]]:
    parts = [p.strip().split() for p in header.split(";") if p.strip()]
    return {p[0]: set(p[1:]) for p in parts}


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/accounts/password-reset/"])
def test_pages_carry_the_policy(client, path):
    response = client.get(path)
    policy = _directives(response["Content-Security-Policy"])
    assert policy["default-src"] == {"'self'"}
    assert policy["script-src"] == {"'self'"}  # no nonce unless a page asks for one
    assert policy["style-src"] == {"'self'"}
    assert policy["object-src"] == {"'none'"} and policy["frame-ancestors"] == {"'none'"}
    assert policy["base-uri"] == {"'self'"} and policy["form-action"] == {"'self'"}
    assert policy["img-src"] == {"'self'", "data:"}


def test_signed_in_pages_carry_it_too(login, secretariat):
    response = login(secretariat).get("/accounts/sessions/")
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_the_permissions_policy_denies_devices_and_keeps_passkeys(client):
    header = client.get("/")["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()",
                    "publickey-credentials-get=(self)", "publickey-credentials-create=(self)"):
        assert feature in header


def test_the_api_docs_load_their_script_from_the_app(client):
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<script>" not in html and "<style>" not in html
    script = re.search(r'<script src="([^"]*script=[^"]*)"', html).group(1)
    assert client.get(script.replace("&amp;", "&")).status_code == 200


def _page_templates():
    for path in TEMPLATES.rglob("*.html"):
        name = path.relative_to(TEMPLATES).as_posix()
        if not any(marker in name for marker in NOT_PAGES):
            yield name, path.read_text()


INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\son[a-z]+=|\sstyle=")


def test_no_page_template_has_inline_script_style_or_handlers():
    offenders = [name for name, text in _page_templates() if INLINE.search(text)]
    assert offenders == []
