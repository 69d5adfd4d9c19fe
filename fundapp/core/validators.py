"""Validators shared by forms and serializers."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Every character str.splitlines() breaks on: e-mail headers cannot carry any of them.
LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")


def single_line(value) -> None:
    """Refuse line breaks in a name or title that may end up in an e-mail header."""
    if value and LINE_BREAKS.intersection(str(value)):
        raise ValidationError(_("Use a single line: line breaks are not allowed here."),
                              code="line_break")
