"""The demo organisation's teams (tenants.demo_seeding calls `seed`): Larch House, the fictional care home where Sam
(the demo leader) leads the team, with seven colleagues; the night team Ellis leads; and Rowan Court, a small
supported-living service Priya (the admin) looks after.

Sam's colleagues have no work email, like many care staff: each was added with a join code and signs in with a
short username (`amira`, `femi`, `josie`, `kwame`, `lena`, `rory`, `tia`) and the demo password, so you can answer
a pulse as them on a phone. Larch House has eight people, enough for a pulse to reach k = 5. Everyone is made up.
Made through the services; runs once (when Larch House exists it leaves everything as it is).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from people.demo import DEMO_PASSWORD, DEMO_USERNAME
from people.join_codes import join_code_redeem, person_add_without_email
from people.models import Role, User

from .models import Membership, Team
from .services import member_add, team_create

# The pulse's demo data (feedback) looks the team up by this name.
DEMO_TEAM_NAME = "Larch House"
# (username, full name): Sam's colleagues at Larch House, in the order they joined.
DEMO_COLLEAGUES = [
    ("amira", "Amira Haddad"),
    ("femi", "Femi Adeyemi"),
    ("josie", "Josie Quinn"),
    ("kwame", "Kwame Mensah"),
    ("lena", "Lena Novak"),
    ("rory", "Rory Byrne"),
    ("tia", "Tia Marsh"),
]
# Larch House's team has been on Heartwood this long (the pulse history is dated after it).
TEAM_HISTORY_DAYS = 400


def _colleague(username: str, full_name: str, *, by: User, joined_days_ago: int) -> User:
    person = User.objects.filter(username=username).first()
    if person is not None:
        return person
    person, issued = person_add_without_email(full_name=full_name, roles=[Role.LEADER], by=by)
    join_code_redeem(code=issued.code, username=username, password=DEMO_PASSWORD)
    User.objects.filter(pk=person.pk).update(date_joined=timezone.now() - timedelta(days=joined_days_ago))
    return person


def seed(*, people: dict[str, User]) -> None:
    if Team.objects.filter(name__iexact=DEMO_TEAM_NAME).exists():
        return
    today = timezone.localdate()
    began = today - timedelta(days=TEAM_HISTORY_DAYS)
    admin, leader = people["admin"], people["leader"]
    colleagues = [
        _colleague(username, name, by=admin, joined_days_ago=TEAM_HISTORY_DAYS + 10 - 20 * number)
        for number, (username, name) in enumerate(DEMO_COLLEAGUES)
    ]

    larch = team_create(
        name=DEMO_TEAM_NAME, description="A residential care home for 24 people over two floors (made up for the demo)",
    )
    member_add(team=larch, user=leader, is_lead=True, on=began)
    for number, person in enumerate(colleagues):
        member_add(team=larch, user=person, on=began + timedelta(days=20 * number))

    night = team_create(name="Night team", description="The waking night staff of Larch House and Rowan Court")
    ellis = User.objects.filter(username=DEMO_USERNAME).first()
    if ellis is not None:
        member_add(team=night, user=ellis, is_lead=True, on=today - timedelta(days=14))
    for person in (colleagues[2], colleagues[5]):  # Josie and Rory work nights too
        member_add(team=night, user=person, on=began + timedelta(days=90))

    rowan = team_create(
        name="Rowan Court", description="Supported living for six adults, a short walk from Larch House"
    )
    member_add(team=rowan, user=admin, is_lead=True, on=began + timedelta(days=30))
    if ellis is not None:
        member_add(team=rowan, user=ellis, on=today - timedelta(days=14))

    # The teams were made when their first people joined, not today.
    for team in (larch, night, rowan):
        first = Membership.objects.filter(team=team).order_by("starts_on").values_list("starts_on", flat=True).first()
        if first is not None:
            made = timezone.make_aware(datetime.combine(first, time(9)))
            Team.objects.filter(pk=team.pk).update(created_at=made, updated_at=made)
