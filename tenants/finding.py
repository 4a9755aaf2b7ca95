""""Find your organisation": someone who has forgotten their organisation's web address asks for it by email.

The answer never depends on whether the address has an account anywhere (no enumeration): the page always says
the same thing, and only the owner of the email address learns where it has accounts. The search runs in the
background, one small query per active organisation, so the request stays quick however many there are.
"""

from __future__ import annotations

from celery import shared_task
from django.core.mail import send_mail
from django_tenants.utils import tenant_context

from people.links import organisation_url
from people.models import User

from .fanout import active_schemas
from .models import Organisation


def organisations_with_account(email: str) -> list[Organisation]:
    found = []
    for organisation in Organisation.objects.filter(schema_name__in=active_schemas()).order_by("name"):
        with tenant_context(organisation):
            if User.objects.filter(email__iexact=email, is_active=True).exists():
                found.append(organisation)
    return found


def organisations_reminder_send(*, email: str) -> int:
    """Email the sign-in links of every organisation where this address has an active account; returns how many."""
    found = organisations_with_account(email)
    if not found:
        return 0
    lines = "\n".join(f"  {org.name}: {organisation_url(org, '/accounts/login/')}" for org in found)
    send_mail(
        "Heartwood: where you sign in",
        "Hello,\n\nSomeone (we hope you) asked where this email address signs in to Heartwood. "
        f"It has an account at:\n\n{lines}\n\nIf you didn't ask, you can ignore this email: nothing has changed.\n",
        None,
        [email],
    )
    return len(found)


# public_ok: it starts in the public schema and enters each organisation itself.
@shared_task(name="tenants.organisations_reminder", public_ok=True, ignore_result=True)
def organisations_reminder_task(email: str) -> None:
    organisations_reminder_send(email=email)
