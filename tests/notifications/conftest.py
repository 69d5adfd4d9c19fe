import pytest
from django.core import mail

from fundapp.notifications.models import Notification
from fundapp.notifications.services import notify
from tests.factories import UserFactory


@pytest.fixture
def person(db):
    return UserFactory(username="amina", email="amina@example.org", language="en")


@pytest.fixture
def french_person(db):
    return UserFactory(username="claire", email="claire@example.org", language="fr",
                       timezone="Europe/Paris")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs what would run after the real commit (the deliveries)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def pending(person):
    """A verified-organisation notice written but not dispatched (no commit happened)."""

    def make(user=None, kind="organisation_verified", **data) -> Notification:
        [n] = notify(recipients=[user or person], kind=kind,
                     data={"organisation": "Hope Shelter", "reason": "", "url": "/organisation/"}
                     | data)
        return n

    return make


def sent_to(address: str) -> list:
    return [m for m in mail.outbox if m.to == [address]]


def month_name(user, language: str) -> str:
    """Today's month as Django's own catalogue writes it in ``language`` (e.g. "novembre")."""
    import zoneinfo

    from django.utils import formats, timezone, translation

    with translation.override(language):
        now = timezone.localtime(timezone.now(), zoneinfo.ZoneInfo(user.timezone))
        return formats.date_format(now, "F")


@pytest.fixture
def subject_spy(monkeypatch):
    """Make a kind's subject say which language was active when it was rendered."""
    from dataclasses import replace

    from django.utils import translation
    from django.utils.functional import lazy

    from fundapp.notifications.kinds import KINDS

    def spy(kind: str) -> None:
        said = lazy(lambda: f"{kind} rendered in {translation.get_language()}", str)()
        monkeypatch.setitem(KINDS, kind, replace(KINDS[kind], subject=said))

    return spy
