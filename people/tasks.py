"""Celery tasks of the people app. They take ids, run in the organisation they were sent from, call a service."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def invitation_send(invitation_id: int) -> bool:
    """Email an invitation with a freshly minted link (see services.invitation_deliver)."""
    return services.invitation_deliver(invitation_id=invitation_id)
