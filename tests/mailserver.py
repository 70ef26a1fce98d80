"""A real SMTP server on loopback (aiosmtpd), started by the tests that send mail.

def test_x(smtp_server): ...    # settings point Django's SMTP backend at it
smtp_server.messages            # email.message.Message objects, as received
"""

from __future__ import annotations

import socket
import threading
from email import message_from_bytes, policy

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Collector:
    """The server's handler: keeps every message it is given."""

    def __init__(self):
        self.messages = []
        self.envelopes = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self.envelopes.append(envelope)
            self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 Message accepted for delivery"


class MailServer:
    def __init__(self, port: int):
        self.port = port
        self.handler = Collector()
        controller = pytest.importorskip("aiosmtpd.controller").Controller
        self.controller = controller(self.handler, hostname="127.0.0.1", port=port)

    @property
    def messages(self):
        return self.handler.messages

    def start(self):
        self.controller.start()

    def stop(self):
        self.controller.stop()


@pytest.fixture
def smtp_server(settings):
    server = MailServer(free_port())
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()
