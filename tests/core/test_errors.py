"""The field-error builder every service uses (fundapp/core/errors.py)."""

import pytest

from fundapp.core.errors import Errors, StateConflict, ValidationFailed


def test_errors_collect_messages_per_field_and_raise_them_together():
    errors = Errors()
    errors.raise_if_any()  # nothing collected: nothing raised
    errors.add("name", "Enter the name.")
    errors.add("name", "At most 200 characters.")
    errors.add("country", "Unknown country code.")
    with pytest.raises(ValidationFailed) as caught:
        errors.raise_if_any()
    assert caught.value.status_code == 400
    assert caught.value.as_data() == {
        "name": ["Enter the name.", "At most 200 characters."],
        "country": ["Unknown country code."]}


def test_errors_raise_the_error_class_asked_for():
    errors = Errors()
    errors.add("pledge", "The pledge is cancelled.")
    with pytest.raises(StateConflict) as caught:
        errors.raise_if_any(StateConflict, "Not now.")
    assert caught.value.status_code == 409
    assert str(caught.value) == "Not now."
    assert caught.value.field_errors == {"pledge": ["The pledge is cancelled."]}


def test_one_field_error():
    exc = ValidationFailed.on("reason", "Say why.")
    assert exc.as_data() == {"reason": ["Say why."]}
    assert str(exc) == str(ValidationFailed.default_message)
