"""The optional notification e-mail against a real local SMTP server (aiosmtpd): it reaches the right
address and says only that something waits (never the person's name, CPR number or the concern's text),
for a concern's filer and for the leaders told of a log-review sample; with the server unreachable
nothing is lost (the notification is still in the app, the change that caused it still saved)."""

from __future__ import annotations

import logging
import socket
import uuid
from datetime import datetime
from email import message_from_bytes
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from caseapp.domains.concerns.models import Concern
from caseapp.extensions import db
from caseapp.platform.notifications.models import Notification
from tests.concerns import factories as f
from tests.dataprotection.test_log_review import _access

PERSON = {"first_name": "Yusuf", "last_name": "Jensen", "cpr": "0101095234"}


class _Inbox:
    """aiosmtpd's handler: keeps each message with its envelope recipients."""

    def __init__(self):
        self.messages: list[tuple[list[str], object]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content, policy=default_policy)))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_at(app):
    """smtp_at(port) points the app's notification e-mail at 127.0.0.1:port (restored after the test)."""

    def point(port: int) -> None:
        app.config.update(NOTIFY_SMTP_HOST="127.0.0.1", NOTIFY_SMTP_PORT=port)

    yield point
    app.config.update(NOTIFY_SMTP_HOST=None, NOTIFY_SMTP_PORT=25)


@pytest.fixture
def inbox(smtp_at):
    """A real SMTP server on a free local port, the app's e-mail pointed at it; its received messages."""
    received = _Inbox()
    port = _free_port()
    controller = Controller(received, hostname="127.0.0.1", port=port)
    controller.start()
    smtp_at(port)
    yield received
    controller.stop()


def _says_nothing_personal(message, *secrets: str) -> None:
    text = f"{message['Subject']}\n{message.get_content()}"
    for secret in secrets:
        assert secret.lower() not in text.lower(), f"{secret!r} in the e-mail"
    assert "/concerns/" not in text and "/data-protection/" not in text


def test_a_filer_is_e_mailed_that_something_waits_when_their_concern_changes_status(app, make_user, inbox):
    filer = make_user("social_worker", email="filer@test.dk")
    ssp = make_user("ssp", email="ssp@test.dk")
    person_id = f.subject(app, (filer, "counselling"), **PERSON)
    concern_id = f.file(app, filer, person_id)
    inbox.messages.clear()  # filing tells SSP: this test is about the filer
    f.move(app, ssp, concern_id, "in_triage")

    (recipients, message), *others = inbox.messages
    assert others == [] and recipients == ["filer@test.dk"] and message["To"] == "filer@test.dk"
    assert "caseapp" in message.get_content()
    _says_nothing_personal(message, "Yusuf", "Jensen", "010109", "5234", f.SUMMARY, f.DESCRIPTION, "kniv")


def test_leaders_are_e_mailed_that_a_log_review_sample_waits(app, make_user, inbox):
    leaders = [make_user("leader", email=f"leder{n}@test.dk") for n in (1, 2)]
    worker = make_user("social_worker", email="worker@test.dk", name="Sara Socialrådgiver")
    with app.app_context():
        for n in range(3):
            _access(worker.id, uuid.uuid4(), datetime(2026, 3, 10, 10, n))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["logreview", "sample", "--month", "2026-03"])
    assert result.exit_code == 0, result.output

    assert sorted(r for recipients, _m in inbox.messages for r in recipients) == sorted(s.email for s in leaders)
    for _recipients, message in inbox.messages:
        _says_nothing_personal(message, "Sara", "worker@test.dk", "2026-03")


def test_an_unreachable_smtp_server_loses_no_notification(app, make_user, smtp_at, caplog):
    smtp_at(_free_port())  # nothing listens there
    filer = make_user("social_worker", email="filer@test.dk")
    ssp = make_user("ssp")
    person_id = f.subject(app, (filer, "counselling"), **PERSON)
    concern_id = f.file(app, filer, person_id)
    with caplog.at_level(logging.WARNING):
        f.move(app, ssp, concern_id, "in_triage")
    assert "SMTP unreachable" in caplog.text
    with app.app_context():
        assert db.session.get(Concern, uuid.UUID(concern_id)).state == "in_triage"
        (note,) = db.session.scalars(select(Notification).where(Notification.user_id == filer.id)).all()
        assert note.kind == "concern.status" and note.url == f"/concerns/{concern_id}" and note.read_at is None
