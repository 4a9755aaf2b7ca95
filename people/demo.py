"""The demo organisation's people (tenants.demo_seeding calls `seed`): besides the three people bootstrap_demo
makes, Ellis, a night support worker with no work email, who joined with a join code and signs in with the
username `ellis.night`. Made through the services (a join code issued by Priya, the admin, and redeemed), so the
account obeys every rule. Runs once: when Ellis exists it leaves everything as it is."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from .join_codes import join_code_redeem, person_add_without_email
from .models import JoinCode, Role, User

DEMO_USERNAME = "ellis.night"
# The demo password of every demo person (tenants' bootstrap_demo prints it; only ever with DEBUG on).
DEMO_PASSWORD = "heartwood-demo"


def seed(*, people: dict[str, User]) -> None:
    if User.objects.filter(username=DEMO_USERNAME).exists():
        return
    person, issued = person_add_without_email(full_name="Ellis Okafor", roles=[Role.LEADER], by=people["admin"])
    join_code_redeem(code=issued.code, username=DEMO_USERNAME, password=DEMO_PASSWORD)
    # Ellis joined a fortnight ago, from the slip Priya printed the evening before.
    joined = timezone.now() - timedelta(days=14)
    User.objects.filter(pk=person.pk).update(date_joined=joined - timedelta(hours=12))
    JoinCode.objects.filter(person=person).update(created_at=joined - timedelta(hours=12), used_at=joined)
