"""Cells that a spreadsheet opens as data, never as a formula (CSV and XLSX exports)."""

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """``value``; text that starts like a formula is prefixed with a quote."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
