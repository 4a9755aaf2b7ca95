from __future__ import annotations

import re

import pytest
from django.core import mail


@pytest.fixture
def send_now(monkeypatch):
    """Run the invitation email task in-process when it is queued (the worker path has its own test)."""
    from people import tasks

    monkeypatch.setattr(tasks.invitation_send, "delay", lambda pk: tasks.invitation_send(pk))


def accept_links(outbox: list | None = None) -> list[str]:
    messages = mail.outbox if outbox is None else outbox
    return [link for message in messages for link in re.findall(r"https?://\S+/invitations/\S+/", message.body)]


def path_of(link: str) -> str:
    return "/" + link.split("/", 3)[3]
