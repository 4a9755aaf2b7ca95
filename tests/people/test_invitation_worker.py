"""The invitation email goes through a real Celery worker (committed data, no test transaction)."""

from __future__ import annotations

import time

from django.core import mail
from django_tenants.utils import tenant_context

from people.services import invitation_create
from tests.conftest import make_person

from .conftest import accept_links


def test_the_email_task_runs_through_a_real_worker(celery_worker, alpha):
    admin = make_person(alpha, ["admin"], name="Worker Admin")
    with tenant_context(alpha):
        invitation = invitation_create(email="via-worker@example.org", full_name="", roles=["leader"], invited_by=admin)
    # Committed (live_db), so the on_commit hook queued the task at once; wait for the worker to send it.
    deadline = time.monotonic() + 15
    while not mail.outbox and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [m.to for m in mail.outbox] == [["via-worker@example.org"]]
    with tenant_context(alpha):
        invitation.refresh_from_db()
        assert invitation.sent_at and invitation.send_count == 1
    assert accept_links()[0].startswith("http://alpha.localhost/invitations/")
