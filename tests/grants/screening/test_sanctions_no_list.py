"""Without an imported sanctions list the sanctions check has not run: it is neither passed
nor failed, it says "no list loaded", and declaring the application eligible needs reasons."""

import pytest

from fundapp.core.audit import audit_trail_for
from fundapp.core.errors import ValidationFailed
from grants.models import CheckCode, SanctionsList
from grants.models.screening import CheckState, check_state
from grants.services.sanctions import sanctions_check
from grants.services.screening import application_screen, check_message, screening_run
from tests.grants.reviews.helpers import submitted_application

pytestmark = pytest.mark.django_db


def _sanctions_line(screening) -> dict:
    return next(c for c in screening.checks if c["code"] == CheckCode.SANCTIONS)


def test_with_no_list_the_sanctions_check_is_not_run_rather_than_failed(secretariat):
    assert not SanctionsList.objects.exists()
    screening = screening_run(actor=secretariat, application=submitted_application())
    line = _sanctions_line(screening)
    assert check_state(line) == CheckState.NOT_RUN
    assert CheckCode.SANCTIONS not in screening.failed_codes
    assert screening.not_run_codes == [CheckCode.SANCTIONS]
    assert check_message(line).startswith("No sanctions list loaded")


def test_the_audit_row_says_the_check_has_not_run(secretariat):
    app = submitted_application()
    screening_run(actor=secretariat, application=app)
    event = next(e for e in audit_trail_for(app) if e.verb == "screening.run")
    assert event.after["not_run"] == [CheckCode.SANCTIONS]
    assert CheckCode.SANCTIONS not in event.after["failed"]


def test_eligible_without_a_list_needs_reasons_that_say_why(secretariat):
    app = submitted_application()
    screening_run(actor=secretariat, application=app)
    with pytest.raises(ValidationFailed) as refused:
        application_screen(actor=secretariat, application=app, eligible=True, reasons="")
    assert "have not run" in str(refused.value.field_errors["reasons"][0])
    application_screen(actor=secretariat, application=app, eligible=True,
                       reasons="Checked by hand on the UN site.")
    app.refresh_from_db()
    assert app.screening.overridden == [CheckCode.SANCTIONS]


def test_rows_stored_before_the_change_read_as_not_run_too():
    old_row = {"code": CheckCode.SANCTIONS, "ok": False, "params": {"no_list": True}}
    assert check_state(old_row) == CheckState.NOT_RUN


def test_with_a_list_an_uncleared_match_still_fails(sanctions_list):
    class Match:
        is_cleared = False

    line = sanctions_check(sanctions_list=sanctions_list, matches=[Match()])
    assert check_state(line) == CheckState.FAILED
