"""E-mail backends that fail on purpose, for the delivery tests."""

import smtplib
import threading
import time

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class FailingBackend(BaseEmailBackend):
    error: BaseException = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    def send_messages(self, messages):
        raise self.error


class SlowBackend(LocmemBackend):
    """Takes its time, so that two concurrent deliveries overlap."""

    calls = 0
    lock = threading.Lock()

    def send_messages(self, messages):
        with self.lock:
            SlowBackend.calls += 1
        time.sleep(0.5)
        return super().send_messages(messages)
