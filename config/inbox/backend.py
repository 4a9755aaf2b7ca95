"""An email backend that keeps each message as one .eml file in `LOCAL_INBOX_DIR` (development only)."""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

logger = logging.getLogger(__name__)


def inbox_dir() -> Path:
    folder = getattr(settings, "LOCAL_INBOX_DIR", None)
    if not folder:
        raise ImproperlyConfigured("The local inbox needs LOCAL_INBOX_DIR (development settings only).")
    return Path(folder)


class InboxBackend(BaseEmailBackend):
    """One real file per message, so the web process and the worker (separate processes) share one inbox."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        folder = inbox_dir()
        folder.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            if not message.recipients():
                continue
            mime = message.message()
            if message.bcc:  # Django leaves Bcc out of the headers; the inbox should still say who got it
                mime["Bcc"] = ", ".join(message.bcc)
            # A sortable name: the newest message comes first when the names are sorted in reverse.
            name = f"{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:12]}"
            partial = folder / f".{name}.tmp"
            partial.write_bytes(mime.as_bytes(linesep="\n"))
            os.replace(partial, folder / f"{name}.eml")  # the reader never sees half a message
            logger.info("Local inbox: “%s” to %s", message.subject, ", ".join(message.recipients()))
            sent += 1
        return sent
