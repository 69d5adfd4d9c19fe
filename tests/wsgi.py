"""Calling the WSGI handler directly with a body that must never be read, for the tests of
upload limits (the test client would buffer the body first)."""

import io
import sys

from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

MB = 1024 * 1024


class UnreadableBody(io.RawIOBase):
    """A request body that fails the test if anything reads it; counts the attempts."""

    def __init__(self):
        self.reads = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        self.reads += 1
        raise AssertionError("the body was read")


def post_unread(path: str, **extra):
    """POST a 60 MB multipart body to ``path`` through Django's WSGI handler (``extra``: more
    WSGI environ keys, e.g. headers or another CONTENT_LENGTH); returns (status code,
    headers, content, body) so the test can check the body was never read."""
    body = UnreadableBody()
    environ = {
        "REQUEST_METHOD": "POST", "PATH_INFO": path, "SCRIPT_NAME": "", "QUERY_STRING": "",
        "SERVER_NAME": "testserver", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.input": body, "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0), "wsgi.multithread": False, "wsgi.multiprocess": False,
        "wsgi.run_once": False, "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_TYPE": "multipart/form-data; boundary=xyz", "CONTENT_LENGTH": str(60 * MB),
        **extra,
    }
    status = []
    # As Django's test client does: a request must not close the test's own connection
    # (close_old_connections drops a connection inside the test's transaction).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        chunks = WSGIHandler()(environ, lambda s, headers, *a: status.append((s, dict(headers))))
        content = b"".join(chunks)
        chunks.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return int(status[0][0].split()[0]), status[0][1], content, body
