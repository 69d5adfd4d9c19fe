import pytest

from fundapp.core.spreadsheet import safe_cell


@pytest.mark.parametrize("text", ["=1+1", "+33", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_text_that_starts_like_a_formula_is_quoted(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Hope Shelter", "", 12, None, -3])
def test_other_values_are_left_alone(value):
    assert safe_cell(value) == value
