"""Ensure the public site, the template schema and a demo organisation with three people exist."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django_tenants.utils import tenant_context

from people.links import organisation_url, public_url
from people.models import MentorPairing, Role, User
from people.services import user_create
from tenants.models import Domain
from tenants.services import (
    organisation_create,
    public_ensure,
    spare_pool_refill,
    template_ensure,
)

DEMO_SUBDOMAIN = "demo"
DEMO_PASSWORD = "heartwood-demo"
DEMO_PEOPLE = [
    ("admin@demo.heartwood.test", "Priya Admin", [Role.ADMIN, Role.LEADER]),
    ("leader@demo.heartwood.test", "Sam Leader", [Role.LEADER]),
    ("mentor@demo.heartwood.test", "Morgan Mentor", [Role.MENTOR]),
]
# A platform operator: a staff user of the public schema (the console at /console/).
OPERATOR_EMAIL = "operator@heartwood.test"


class Command(BaseCommand):
    help = "Create (or refresh) the demo organisation and print where to log in."

    def handle(self, *args: Any, **options: Any) -> None:
        public_ensure()
        template_ensure()
        domain = Domain.objects.filter(domain=f"{DEMO_SUBDOMAIN}.{settings.BASE_DOMAIN}").first()
        demo = domain.tenant if domain else organisation_create(
            name="Oakfield Care (demo)", subdomain=DEMO_SUBDOMAIN
        )
        with tenant_context(demo):
            for email, name, roles in DEMO_PEOPLE:
                user = User.objects.filter(email__iexact=email).first()
                if user is None:
                    user_create(email=email, full_name=name, roles=roles, password=DEMO_PASSWORD, verified=True)
                else:
                    user.set_password(DEMO_PASSWORD)
                    user.is_active = True
                    user.save(update_fields=["password", "is_active"])
            # Sam has Morgan as a mentor, so sharing an entry and the mentoring pages work straight away.
            leader = User.objects.get(email__iexact=DEMO_PEOPLE[1][0])
            mentor = User.objects.get(email__iexact=DEMO_PEOPLE[2][0])
            if not MentorPairing.objects.filter(leader=leader, mentor=mentor, ends_on__isnull=True).exists():
                MentorPairing.objects.create(leader=leader, mentor=mentor)
        self._operator_ensure()
        spare_pool_refill()
        self.stdout.write(f"Demo organisation: {organisation_url(demo)}")
        for email, _, roles in DEMO_PEOPLE:
            self.stdout.write(f"  {', '.join(roles):<14} {email}  /  {DEMO_PASSWORD}")
        self.stdout.write(f"Operator console: {public_url('/console/')}")
        self.stdout.write(f"  {'operator':<14} {OPERATOR_EMAIL}  /  {DEMO_PASSWORD}")

    def _operator_ensure(self) -> None:
        # Runs in the public schema: this account exists on the public site only.
        operator = User.objects.filter(email__iexact=OPERATOR_EMAIL).first()
        if operator is None:
            user_create(
                email=OPERATOR_EMAIL, full_name="Olu Operator", roles=[], password=DEMO_PASSWORD, verified=True,
                is_staff=True,
            )
        else:
            operator.set_password(DEMO_PASSWORD)
            operator.is_active = operator.is_staff = True
            operator.save(update_fields=["password", "is_active", "is_staff"])
