"""The API's JSON parser: bounded in size and depth, and no NUL characters in text.

PostgreSQL cannot store NUL (``\\u0000``) in text, and deeply nested arrays exhaust
Python's recursion: both become a 400 with a ``detail`` instead of a server error.
"""

import json

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils.json import strict_constant

MAX_DEPTH = 32
NUL = "\x00"


def nul_message() -> str:
    return _("Text may not contain NUL characters (\\u0000).")


def _check_tree(data, max_depth: int) -> None:
    """Walk the parsed document without recursion: depth, and NUL in keys and strings."""
    stack = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, str):
            if NUL in node:
                raise ParseError(nul_message())
            continue
        if not isinstance(node, dict | list):
            continue
        if depth > max_depth:
            raise ParseError(_("JSON nested deeper than %(n)s levels is not accepted.")
                             % {"n": max_depth})
        if isinstance(node, dict):
            stack.extend((key, depth) for key in node)
            node = node.values()
        stack.extend((child, depth + 1) for child in node)


class JSONParser(parsers.JSONParser):
    max_depth = MAX_DEPTH

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read() if limit is None else stream.read(limit + 1)
        if limit is not None and len(raw) > limit:
            raise ParseError(_("The request body is larger than %(n)s bytes.") % {"n": limit})
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            data = json.loads(raw.decode(encoding),
                              parse_constant=strict_constant if self.strict else None)
        except RecursionError:
            raise ParseError(_("JSON nested deeper than %(n)s levels is not accepted.")
                             % {"n": self.max_depth}) from None
        except ValueError as exc:
            raise ParseError(_("JSON parse error - %(e)s") % {"e": exc}) from None
        _check_tree(data, self.max_depth)
        return data
