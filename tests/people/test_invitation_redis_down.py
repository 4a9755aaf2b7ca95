"""Redis down while an admin invites someone: the page still answers with success (the invitation is the row), and
the relay beat fans out to every organisation sends the email once Redis is back, exactly once."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.utils import timezone
from django_tenants.utils import tenant_context

from people.models import Invitation
from people.tasks import invitations_relay
from tests.conftest import broker_unreachable, client_for, make_person, worker_drained


def test_redis_down_an_invitation_still_succeeds_and_the_relay_sends_it_once_redis_is_back(celery_worker, alpha):
    admin = make_person(alpha, ["admin"])
    mail.outbox.clear()
    with broker_unreachable():
        response = client_for(alpha, admin).post(
            "/manage/invitations/", {"email": "while-down@example.org", "full_name": "Dee", "roles": ["leader"]}
        )
        assert response.status_code == 302
    with tenant_context(alpha):
        invitation = Invitation.objects.get(email="while-down@example.org")
        assert invitation.sent_at is None
        assert invitations_relay.delay().get(timeout=20) == 0  # made a moment ago: its own message may be in flight
        Invitation.objects.filter(pk=invitation.pk).update(created=timezone.now() - timedelta(minutes=5))
        assert invitations_relay.delay().get(timeout=20) == 1
    worker_drained()
    with tenant_context(alpha):
        assert invitations_relay.delay().get(timeout=20) == 0
        worker_drained()
        invitation.refresh_from_db()
    assert [m.to for m in mail.outbox] == [["while-down@example.org"]]
    assert invitation.sent_at is not None and invitation.send_count == 1
