"""Celery tasks of the people app. They take ids, run in the organisation they were sent from, call a service."""

from celery import shared_task

from . import selectors, services


# relayed: the invitation is a row; if Redis is down when it is made, invitations_relay sends it later.
@shared_task(acks_late=True, relayed=True)
def invitation_send(invitation_id: int) -> bool:
    """Email an invitation with a freshly minted link (see services.invitation_deliver)."""
    return services.invitation_deliver(invitation_id=invitation_id)


@shared_task(name="people.invitations_relay", relayed=True)
def invitations_relay() -> int:
    """Queue the invitations whose email was never queued (beat fans this out to every organisation)."""
    ids = selectors.invitations_never_sent()
    for pk in ids:
        invitation_send.delay(pk)
    return len(ids)
