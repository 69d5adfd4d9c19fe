import time
from pathlib import Path

import pytest
from django.core.cache import cache
from django.conf import settings as django_settings
from django.utils import timezone, translation
from rest_framework.test import APIClient

from fundapp.accounts.roles import Role
from grants.services.sanctions import sanctions_list_import
from tests.factories import (
    PASSWORD,
    CallFactory,
    OrganisationFactory,
    UserFactory,
    ngo_user,
)
from tests.grants.board.helpers import ample_fund, sitting_board
from tests.grants.reviews.helpers import SAMPLE_LIST, eligible_application

# `make test` runs the suite on several pytest-xdist workers (``-n auto``). Tests that must
# stay together on one worker, in their order, form a group: the browser journeys (one
# seeded demo site per variant, journeys in the order they are written), the real-Celery
# worker tests (processes and time-outs of their own, one at a time), and each module that
# seeds the demo once for all its tests (tests/seeding.py). Every other test is scheduled
# on its own. The groups are named here, by path, because xdist's own `xdist_group` marker
# does not group under pytest 9 (its nodeid suffix is lost), which split the journeys.
GROUPS_BY_PATH = {
    "tests/browser/journeys/": "browser-journeys",
    "tests/integration/": "celery-worker",
    "tests/test_seed_demo.py": "seed-demo",
    "tests/grants/ranking_integration/test_seed_ranking_demo.py": "seed-ranking-demo",
    "tests/donors/test_seed.py": "seed-donors",
    "tests/test_work_queue_demo.py": "work-queue-demo",
    "tests/web/test_readable_figures.py": "readable-figures",
}
STARTED = pytest.StashKey[float]()


def group_of(nodeid: str) -> str:
    """The work unit of a test: its group's name, or the test itself."""
    for prefix, group in GROUPS_BY_PATH.items():
        if nodeid.startswith(prefix):
            return group
    return nodeid


def pytest_xdist_make_scheduler(config, log):
    from xdist.scheduler import LoadScopeScheduling

    class GroupScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return group_of(nodeid)

    return GroupScheduling(config, log)


JOURNEYS_SUMMARY = Path(__file__).resolve().parents[1] / "var" / "screenshots" / "SUMMARY.txt"


def pytest_sessionstart(session):
    session.config.stash[STARTED] = time.time()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """In a parallel run the journeys' summary was written by a worker: show it here."""
    if config.pluginmanager.getplugin("dsession") is None or not JOURNEYS_SUMMARY.exists():
        return
    if JOURNEYS_SUMMARY.stat().st_mtime >= config.stash.get(STARTED, time.time()):
        terminalreporter.write_sep("-", "browser journeys")
        for line in JOURNEYS_SUMMARY.read_text(encoding="utf-8").splitlines():
            terminalreporter.write_line(line)


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Uploads and mail in a temporary folder; tasks eager; no lockouts between tests."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.AXES_ENABLED = False
    # Two-factor sign-in is enforced with DEBUG off; the tests of it turn it back on
    # (tests/accounts/test_mfa_enforcement.py), the others sign in with a password alone.
    settings.MFA_ENFORCED = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # A private cache per test: clearing it must never flush the Redis database the broker uses.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    cache.clear()
    from fundapp.celery import app

    app.conf.task_always_eager = True
    # A request leaves its reader's language and time zone active in the thread (the
    # middleware activates them, nothing resets them): each test starts from the defaults,
    # or a French request in one test renders the next test's PDF in French.
    translation.activate(django_settings.LANGUAGE_CODE)
    timezone.deactivate()
    yield
    translation.deactivate()
    timezone.deactivate()


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def secretariat(db):
    return UserFactory(username="sec", roles=[Role.SECRETARIAT])


@pytest.fixture
def reviewer(db):
    return UserFactory(username="rev", roles=[Role.REVIEWER])


@pytest.fixture
def board_member(db):
    return UserFactory(username="trustee", roles=[Role.BOARD])


@pytest.fixture
def donor(db):
    return UserFactory(username="donor", roles=[Role.DONOR])


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Hope Shelter Nigeria", country="NG")


@pytest.fixture
def other_organisation(db):
    return OrganisationFactory(name="Other NGO", country="KE")


@pytest.fixture
def ngo(organisation):
    return ngo_user(organisation, username="ngo")


@pytest.fixture
def other_ngo(other_organisation):
    return ngo_user(other_organisation, username="otherngo")


@pytest.fixture
def open_call(db):
    return CallFactory()


@pytest.fixture
def api():
    return APIClient()


MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def login(client):
    """The test client signed in as ``user`` (or anonymous for None)."""

    def sign_in(user):
        client.logout()
        if user is not None:
            client.force_login(user, backend=MODEL_BACKEND)
        return client

    return sign_in


@pytest.fixture
def api_as():
    """An API client authenticated as the given user (token auth, like external tools)."""

    def make(user):
        from fundapp.accounts.services import token_create

        client = APIClient()
        if user is not None:
            token, key = token_create(user=user)
            # A token already in use: its last use is noted at most every few minutes, so
            # that write is not part of a request's steady cost (the query-count tests).
            type(token).objects.filter(pk=token.pk).update(last_used_at=timezone.now())
            client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return make


# The Board and review set-up shared by the API, web and service tests. A module that needs
# another shape (tests/grants/board/conftest.py, a screening test's ``app``) defines its own
# fixture of the same name, which overrides these.


@pytest.fixture
def funded(monkeypatch):
    """The budget guard sees ample contributions received (the donors app's figure, patched).

    Board modules use it with ``pytest.mark.usefixtures("funded")``."""
    ample_fund(monkeypatch)


@pytest.fixture
def seated(db):
    """A Board sitting today: (chair, [four members])."""
    return sitting_board()


@pytest.fixture
def chair(seated):
    return seated[0]


@pytest.fixture
def trustees(seated):
    return seated[1]


@pytest.fixture
def trustee(seated):
    """The first ordinary member of the sitting Board."""
    return seated[1][0]


@pytest.fixture
def app(organisation, open_call):
    """An eligible application of ``organisation`` to ``open_call``, ready for review."""
    return eligible_application(organisation=organisation, call=open_call)


@pytest.fixture
def sanctions_list(db):
    """The sample consolidated sanctions list, imported (screening checks run against it)."""
    return sanctions_list_import(actor=None, data=SAMPLE_LIST.read_bytes(),
                                 source_name="consolidated.xml")
