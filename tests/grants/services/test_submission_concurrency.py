import threading

import pytest
from django.db import connection, connections

from grants.services.applications import application_submit
from tests.factories import CallFactory, complete_application

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def test_simultaneous_submissions_get_distinct_consecutive_references(ngo, organisation):
    call = CallFactory()
    drafts = [complete_application(call=call, organisation=organisation) for _ in range(6)]
    barrier = threading.Barrier(len(drafts))
    errors = []

    def submit(app):
        try:
            barrier.wait()
            application_submit(actor=ngo, application=app)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(d,)) for d in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)

    assert errors == []
    refs = sorted(call.applications.values_list("reference", flat=True))
    assert refs == [f"VTF{call.number}-{i:04d}" for i in range(1, 7)]
