"""Ensure the public site, the template schema and a demo organisation with three people exist, and give the demo
organisation a few weeks of life: each app seeds its own demo data (tenants.demo_seeding explains the hook).
Development only: it refuses to run without DEBUG (make run has it) unless told otherwise."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django_tenants.utils import tenant_context

from people import demo as people_demo
from people.links import organisation_url, public_url
from people.models import MentorPairing, Role, User
from people.services import user_create
from tenants.demo_seeding import demo_seed
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
# The demo story starts this long ago: Sam and Morgan have been paired since then (demo data is dated after it).
DEMO_HISTORY_DAYS = 42
# A platform operator: a staff user of the public schema (the console at /console/).
OPERATOR_EMAIL = "operator@heartwood.test"


class Command(BaseCommand):
    help = "Create (or refresh) the demo organisation and print where to log in."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-without-debug", action="store_true",
            help="Run even though DEBUG is off (demo people with a published password: never in production).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["allow_without_debug"]:
            raise CommandError(
                "bootstrap_demo makes people with a published password and made-up journals: it runs with DEBUG "
                "on (make run) only. Pass --allow-without-debug if you really mean it (never in production)."
            )
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
            story_start = timezone.localdate() - timedelta(days=DEMO_HISTORY_DAYS)
            pairing = MentorPairing.objects.filter(leader=leader, mentor=mentor, ends_on__isnull=True).first()
            if pairing is None:
                MentorPairing.objects.create(leader=leader, mentor=mentor, starts_on=story_start)
            elif pairing.starts_on > story_start:
                # Made by an earlier bootstrap on its own day: the demo entries shared before then would be dark.
                MentorPairing.objects.filter(pk=pairing.pk).update(starts_on=story_start)
            admin = User.objects.get(email__iexact=DEMO_PEOPLE[0][0])
        seeded = demo_seed(organisation=demo, people={"admin": admin, "leader": leader, "mentor": mentor})
        self._operator_ensure()
        spare_pool_refill()
        self.stdout.write(f"Demo organisation: {organisation_url(demo)}")
        for email, _, roles in DEMO_PEOPLE:
            self.stdout.write(f"  {', '.join(roles):<14} {email}  /  {DEMO_PASSWORD}")
        if "people" in seeded:  # someone without an email address signs in with a username (people.demo)
            self.stdout.write(f"  {'leader':<14} {people_demo.DEMO_USERNAME}  /  {people_demo.DEMO_PASSWORD}")
        self.stdout.write(f"  (demo data from: {', '.join(seeded) or 'no app'}; a second run changes nothing)")
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
