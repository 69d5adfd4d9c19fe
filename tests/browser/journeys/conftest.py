"""Browser journeys on the demo data: one seeded SQLite file, one real server per variant.

The demo is seeded once per test session (``migrate`` + ``seed_demo`` into
``var/browser/template.sqlite3``; reused while the migrations and the demo code are
unchanged). Each variant (desktop/phone width x English/French) gets its own copy of that
file and its own ``manage.py runserver`` on a free port, so the journeys of one variant can
change the data (votes, grants, payments) without touching another variant's world.
Journeys of one variant run in the order they are defined (secretariat assigns a reviewer
before the reviewer journey scores).

Every page a journey visits goes through ``Journey.check``: axe-core (vendored in
static/vendor, injected by the test only) must find no serious or critical violation, no
request to the app may fail (status >= 400), the console must stay free of errors and the
page must break no rule of the app's Content-Security-Policy (enforced: the contexts do not
bypass it, and axe-core is loaded from the app's own static files). Each
check saves var/screenshots/<journey>/<step>-<width>-<lang>.png; the counts are written to
var/screenshots/SUMMARY.txt and printed at the end of the run.
"""

import email
import hashlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
VAR = ROOT / "var"
WORK = VAR / "browser"
SHOTS = VAR / "screenshots"
AXE = next(iter(sorted((ROOT / "static" / "vendor").glob("axe-core-*.min.js"))), None)
PASSWORD = "fundapp-demo"


@dataclass(frozen=True)
class Variant:
    width: int
    height: int
    lang: str

    @property
    def id(self) -> str:
        return f"{self.width}-{self.lang}"


VARIANTS = [Variant(1280, 900, "en"), Variant(1280, 900, "fr"),
            Variant(390, 844, "en"), Variant(390, 844, "fr")]


def pytest_generate_tests(metafunc):
    if "variant" in metafunc.fixturenames:
        metafunc.parametrize("variant", VARIANTS, ids=[v.id for v in VARIANTS])


# --- Counting ---------------------------------------------------------------------------

@dataclass
class Tally:
    pages: int = 0
    axe_checks: int = 0
    urls: set = field(default_factory=set)
    timings: list = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)


TALLY = Tally()


def _summary() -> list[str]:
    seconds = time.monotonic() - TALLY.started
    lines = [
        f"browser journeys: {TALLY.pages} page views checked "
        f"({len(TALLY.urls)} distinct URLs), {TALLY.axe_checks} axe-core checks, "
        f"{seconds:.0f} s",
        f"screenshots: {SHOTS}",
    ]
    slowest = sorted(TALLY.timings, reverse=True)[:8]
    return lines + [f"  slow axe check: {a:.1f} s (screenshot {b:.1f} s) {name}"
                    for a, b, name in slowest]


def pytest_sessionfinish(session, exitstatus):
    """SUMMARY.txt, written by the process that ran the journeys (a pytest-xdist worker under
    ``make test``; tests/conftest.py prints it at the end of a parallel run)."""
    if TALLY.pages:
        SHOTS.mkdir(parents=True, exist_ok=True)
        (SHOTS / "SUMMARY.txt").write_text("\n".join(_summary()) + "\n", encoding="utf-8")


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not TALLY.pages:
        return
    terminalreporter.write_sep("-", "browser journeys")
    for line in _summary():
        terminalreporter.write_line(line)


# --- The demo servers -------------------------------------------------------------------

def _server_env(db: Path, folder: Path, url: str = "") -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DJANGO_", "PYTEST_"))}
    env.update({
        "DEBUG": "1", "DATABASE_URL": f"sqlite:///{db}", "REDIS_URL": "", "EMAIL_URL": "",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(folder / "mail"), "MEDIA_ROOT": str(folder / "media"),
        "DJANGO_SETTINGS_MODULE": "fundapp.settings", "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    })
    if url:
        env["SITE_URL"] = url
    return env


def _fingerprint() -> str:
    """Changes whenever the schema or the demo data code changes."""
    digest = hashlib.sha256()
    files = [*ROOT.glob("*/migrations/*.py"), *ROOT.glob("*/*/migrations/*.py"),
             *ROOT.glob("*/demo/*.py"), *ROOT.glob("*/management/commands/seed_*.py")]
    for path in sorted(files):
        digest.update(str(path).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _manage(*args: str, env: dict, log: Path) -> None:
    with log.open("a", encoding="utf-8") as out:
        done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                              stdout=out, stderr=subprocess.STDOUT, timeout=600)
    if done.returncode:
        pytest.fail(f"manage.py {' '.join(args)} failed; see {log}", pytrace=False)


@pytest.fixture(scope="session")
def demo_template() -> Path:
    WORK.mkdir(parents=True, exist_ok=True)
    template, stamp = WORK / "template.sqlite3", WORK / "template.stamp"
    for old in SHOTS.glob("*/"):
        if old.name != "email":
            shutil.rmtree(old, ignore_errors=True)
    fingerprint = _fingerprint()
    if template.exists() and stamp.exists() and stamp.read_text() == fingerprint:
        return template
    folder = WORK / "seed"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    db = folder / "db.sqlite3"
    env, log = _server_env(db, folder), folder / "seed.log"
    _manage("migrate", "--noinput", "-v0", env=env, log=log)
    _manage("seed_demo", env=env, log=log)
    shutil.copyfile(db, template)
    stamp.write_text(fingerprint)
    return template


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class DemoSite:
    url: str
    folder: Path
    process: subprocess.Popen

    @property
    def mail(self) -> Path:
        return self.folder / "mail"

    def emails(self, to: str) -> list[str]:
        """Decoded text bodies of the e-mails sent to ``to``, oldest first."""
        if not self.mail.exists():
            return []
        bodies = []
        for path in sorted(self.mail.glob("*.log"), key=lambda p: p.stat().st_mtime):
            raw = path.read_bytes()
            for chunk in re.split(rb"^-{79}$", raw, flags=re.M):
                message = email.message_from_bytes(chunk.lstrip(b"\r\n"))
                if to not in (message.get("To") or ""):
                    continue
                for part in message.walk():
                    if part.get_content_type() == "text/plain":
                        payload = part.get_payload(decode=True) or b""
                        charset = part.get_content_charset() or "utf-8"
                        bodies.append(payload.decode(charset, errors="replace"))
        return bodies


def _start(template: Path, variant: Variant) -> DemoSite:
    folder = WORK / variant.id
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "mail").mkdir(parents=True)
    db = folder / "db.sqlite3"
    shutil.copyfile(template, db)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = (folder / "server.log").open("w", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT, env=_server_env(db, folder, url), stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the demo server stopped; see {folder / 'server.log'}", pytrace=False)
        try:
            with urllib.request.urlopen(f"{url}/static/css/fundapp.css", timeout=2):
                return DemoSite(url, folder, process)
        except OSError:
            time.sleep(0.2)
    process.kill()
    pytest.fail(f"the demo server did not answer in 60 s; see {folder / 'server.log'}",
                pytrace=False)


@pytest.fixture(scope="session")
def demo_sites(demo_template):
    sites: dict[str, DemoSite] = {}

    def get(variant: Variant) -> DemoSite:
        if variant.id not in sites:
            sites[variant.id] = _start(demo_template, variant)
        return sites[variant.id]

    yield get
    for site in sites.values():
        site.process.terminate()
    for site in sites.values():
        try:
            site.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            site.process.kill()


@pytest.fixture
def site(demo_sites, variant) -> DemoSite:
    return demo_sites(variant)


# --- One journey ------------------------------------------------------------------------

BLOCKING = {"serious", "critical"}
# Elements that stick out of the window on the right (the page scrolls sideways), outside
# containers that scroll by themselves (tables, the phone menu).
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width + 1) return [];
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.right <= width + 1 || box.width === 0) continue;
    let parent = el.parentElement, clipped = false;
    while (parent && parent !== document.body) {
      const o = getComputedStyle(parent).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden') { clipped = true; break; }
      parent = parent.parentElement;
    }
    if (clipped) continue;
    const cls = typeof el.className === 'string' ? el.className.trim() : '';
    const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      (cls ? '.' + cls.split(/\\s+/).join('.') : '');
    out.push(`${name} (right edge ${Math.round(box.right)} px)`);
    if (out.length >= 5) break;
  }
  return out;
}"""
SHOT_HEIGHT = 2400
# Each page records what its Content-Security-Policy refused; ``check`` fails on any.
CSP_LISTENER_JS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(`${e.effectiveDirective}: ${e.blockedURI || 'inline'}` +
    ` at ${e.sourceFile || e.documentURI}:${e.lineNumber}`);
});
"""


class Journey:
    """Pages of one journey in one variant, each checked with axe-core and screenshotted."""

    def __init__(self, browser, site: DemoSite, variant: Variant, name: str):
        self.browser, self.site, self.variant, self.name = browser, site, variant, name
        self.expected_lang: str | None = None
        self.folder = SHOTS / name
        self.folder.mkdir(parents=True, exist_ok=True)
        self.contexts = []
        self.step = 0

    # Pages and sign-in

    def page(self, username: str | None = None):
        """A fresh browser context in this variant's width and language, signed in if asked."""
        v = self.variant
        context = self.browser.new_context(
            viewport={"width": v.width, "height": v.height}, locale=v.lang,
            bypass_csp=False, is_mobile=v.width < 600, has_touch=v.width < 600,
            device_scale_factor=1, accept_downloads=True)
        context.set_default_timeout(10_000)
        context.add_cookies([{"name": "django_language", "value": v.lang,
                              "url": self.site.url}])
        self.contexts.append(context)
        context.add_init_script(CSP_LISTENER_JS)
        page = context.new_page()
        page.problems = []
        base = self.site.url

        def on_response(response):
            if response.url.startswith(base) and response.status >= 400:
                page.problems.append(f"HTTP {response.status} {response.url}")

        def on_console(message):
            if message.type == "error":
                where = (message.location or {}).get("url", "")
                page.problems.append(f"console error: {message.text} ({where})")

        page.on("response", on_response)
        page.on("console", on_console)
        page.on("pageerror", lambda exc: page.problems.append(f"page error: {exc}"))
        if username:
            self.sign_in(page, username)
        return page

    def sign_in(self, page, username: str, password: str = PASSWORD):
        self.go(page, "/accounts/login/", f"sign-in-{username}")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").first.click()
        assert "/accounts/login/" not in page.url, self.fail_message(
            f"{username} could not sign in", self.shoot(page, f"sign-in-{username}-failed"))

    def close(self):
        for context in self.contexts:
            context.close()

    # Visiting and checking

    def url(self, path: str) -> str:
        return path if path.startswith("http") else self.site.url + path

    def go(self, page, path: str, step: str):
        response = page.goto(self.url(path))
        assert response is not None and response.status < 400, self.fail_message(
            f"GET {path} answered {response and response.status}", self.shoot(page, step))
        return self.check(page, step)

    def shoot(self, page, step: str, full: bool = True) -> Path:
        """The page from its top, at most SHOT_HEIGHT px of it (long tables would take seconds)."""
        v = self.variant
        path = self.folder / f"{self.step:02d}-{step}-{v.width}-{v.lang}.png"
        if full:
            height = page.evaluate("() => document.documentElement.scrollHeight")
            page.screenshot(path=str(path), full_page=True, clip={
                "x": 0, "y": 0, "width": v.width, "height": min(height, SHOT_HEIGHT)})
        else:
            page.screenshot(path=str(path))
        return path

    def fail_message(self, what: str, shot: Path) -> str:
        return f"{self.name} [{self.variant.id}]: {what}\n  screenshot: {shot}"

    def check(self, page, step: str, scope: str = "") -> Path:
        """axe-core, failed requests and console errors on the page as it is now.

        ``scope``: a selector (e.g. an open dialog) to check instead of the whole page,
        for a state of a page that was checked already; it is not counted as a page view.
        """
        self.step += 1
        page.wait_for_load_state("load")
        v = self.variant
        lang = page.get_attribute("html", "lang")
        t_shot = time.monotonic()
        shot = self.shoot(page, step, full=not scope)
        if not scope:
            TALLY.pages += 1
            TALLY.urls.add(re.sub(r"[?#].*", "", page.url.replace(self.site.url, "")))
        expected = self.expected_lang or v.lang  # a journey may walk another language
        assert lang == expected, self.fail_message(f"page language is {lang!r}", shot)
        if not scope:
            wide = page.evaluate(OVERFLOW_JS)
            assert not wide, self.fail_message(
                "the page is wider than the window (text cut or a sideways scroll): "
                + "; ".join(wide), shot)
        t_axe = time.monotonic()
        violations = page.evaluate("() => (window.__cspViolations || []).splice(0)")
        page.problems += [f"Content-Security-Policy refused {v}" for v in violations]
        if not page.evaluate("() => typeof window.axe === 'object'"):
            # from the app's static files: an injected inline script would break the CSP
            page.add_script_tag(url=f"{self.site.url}/static/vendor/{AXE.name}")
        result = page.evaluate(
            "(scope) => axe.run(scope ? document.querySelector(scope) : document,"
            " {resultTypes: ['violations']})"
            ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
            " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' :: ' +"
            " (n.failureSummary || '').replace(/\\s+/g, ' '))})))", scope)
        TALLY.axe_checks += 1
        TALLY.timings.append((time.monotonic() - t_axe, t_axe - t_shot, f"{self.name}/{step}"))
        blocking = [r for r in result if r["impact"] in BLOCKING]
        problems, page.problems = page.problems, []
        report = [f"axe {r['impact']} {r['id']}: {r['help']}\n      " + "\n      ".join(
            r["nodes"]) for r in blocking] + problems
        assert not report, self.fail_message(
            f"{page.url}\n    " + "\n    ".join(report), shot)
        return shot


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A journey that fails (a timeout too) shows where its pages were, as screenshots."""
    report = yield
    made = getattr(item, "_journey", None)
    if made is not None and report.when == "call" and report.failed:
        shots = []
        for number, context in enumerate(made.contexts):
            for page in context.pages:
                try:
                    shots.append(f"{made.shoot(page, f'failed-{number}')}  ({page.url})")
                except Exception as exc:  # noqa: BLE001 - a closed page must not hide the failure
                    shots.append(f"no screenshot: {exc}")
        report.sections.append(("screenshots of the failing journey", "\n".join(shots)))
    return report


@pytest.fixture
def journey(request, browser, site, variant):
    if AXE is None:
        pytest.fail("static/vendor/axe-core-*.min.js is missing", pytrace=False)
    name = request.node.originalname.removeprefix("test_")
    made = Journey(browser, site, variant, name)
    request.node._journey = made
    yield made
    made.close()
