"""How many database queries one request costs, for the tests that keep pages and endpoints
flat (the same number of queries for few rows and for many)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries_for_get(client, url, params=None) -> int:
    """The number of queries one GET of ``url`` (with query ``params``, if any) runs; the
    response must be a 200."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200, response.content[:300]
    return len(ctx.captured_queries)
