"""A 360 scenario in organisation alpha (imported by tests/feedback/test_360*.py and tests/e2e/test_360.py).

Lee, a leader, asked three colleagues (Rita, Raj, Ros) and two people by email. Beside them: Olive, another
member who was not asked; Ada, an admin; Mo, a current mentor Lee shares the summary with; Una, a current mentor
Lee does not share with; Ed, a mentor whose pairing ended after Lee shared with him; someone at beta; a platform
operator. A marker is planted in one comment."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context

from courses import services as learning
from courses.models import Module
from feedback import engine
from feedback.models import Respondent, ThreeSixty
from feedback.threesixty import services
from feedback.threesixty.statements import statements_for_360
from people.models import MentorPairing, User
from people.services import user_create
from people.tokens import token_new
from tests.conftest import PASSWORD, make_person


def ask(organisation, leader: User, users: list[User], emails: list[str] = (), days: int = 14) -> ThreeSixty:
    with tenant_context(organisation):
        return services.three_sixty_request(leader=leader, users=users, emails=list(emails), days_open=days)


def statement_count() -> int:
    """How many statements a 360 asks (the shipped curriculum's, the same in every test organisation)."""
    from django.db import connection

    from tenants.models import Domain
    from tests.conftest import host

    if connection.schema_name != "public":
        return len(statements_for_360())
    with tenant_context(Domain.objects.get(domain=host("alpha")).tenant):
        return len(statements_for_360())


def scores(value: int = 4) -> list[int]:
    return [value] * statement_count()


def answer(organisation, three_sixty: ThreeSixty, user: User, value: int = 4, comment: str = "") -> None:
    with tenant_context(organisation):
        respondent = Respondent.objects.get(round_id=three_sixty.round_id, user=user)
        engine.answer_record(respondent=respondent, scores=scores(value), comment=comment)


def link_for(organisation, three_sixty: ThreeSixty, email: str) -> str:
    """A working single-use link for the rater asked at `email` (what their email would carry)."""
    with tenant_context(organisation):
        respondent = Respondent.objects.get(round_id=three_sixty.round_id, email=email)
        # As if their ask email had gone: a Celery worker still running from an earlier test (the session's) must
        # not send it now and, by renewing the link as every ask does, kill the one returned here.
        Respondent.objects.filter(pk=respondent.pk).update(emailed_at=timezone.now())
        token = token_new()[0]
        assert engine.respondent_link_renew(respondent=respondent, token=token)
        return token


def close(organisation, three_sixty: ThreeSixty) -> ThreeSixty:
    with tenant_context(organisation):
        return services.three_sixty_close(three_sixty=ThreeSixty.objects.get(pk=three_sixty.pk),
                                          leader=three_sixty.leader)


def self_checks(organisation, user: User, value: int = 3) -> None:
    with tenant_context(organisation):
        for module in Module.objects.exclude(behaviour="").exclude(self_check={}).filter(source="shipped"):
            learning.self_check_record(
                user=user, module=module, answers=[value] * len(module.self_check["statements"]),
            )


def pair(organisation, leader: User, mentor: User, **kwargs) -> MentorPairing:
    with tenant_context(organisation):
        return MentorPairing.objects.create(leader=leader, mentor=mentor, **kwargs)


@dataclass
class World:
    marker: str
    leader: User
    raters: list[User]
    other_member: User
    admin: User
    mentor_shared: User
    mentor_unshared: User
    mentor_ended: User
    beta_user: User
    operator: User
    three_sixty: ThreeSixty
    emails: list[str]

    @property
    def rater(self) -> User:
        return self.raters[0]


def build_world(alpha, beta, *, closed: bool = True) -> World:
    marker = f"MARKER{uuid.uuid4().hex[:12]}"
    leader = make_person(alpha, ["leader"], name="Lee Leader")
    raters = [make_person(alpha, ["leader"], name=name) for name in ("Rita Rater", "Raj Rater", "Ros Rater")]
    other_member = make_person(alpha, ["leader"], name="Olive Other")
    admin = make_person(alpha, ["admin", "leader"], name="Ada Admin")
    mentor_shared = make_person(alpha, ["mentor"], name="Mo Mentor")
    mentor_unshared = make_person(alpha, ["mentor"], name="Una Unshared")
    mentor_ended = make_person(alpha, ["mentor"], name="Ed Ended")
    beta_user = make_person(beta, ["admin", "leader", "mentor"], name="Bea Beta")
    with schema_context("public"):
        operator = user_create(
            email=f"operator-{uuid.uuid4().hex[:6]}@heartwood.test", full_name="Opal Operator", roles=[],
            password=PASSWORD, verified=True, is_staff=True, is_superuser=True,
        )
    today = timezone.localdate()
    pair(alpha, leader, mentor_shared)
    pair(alpha, leader, mentor_unshared)
    ended = pair(alpha, leader, mentor_ended, starts_on=today - timedelta(days=30))
    self_checks(alpha, leader, 3)
    emails = ["fern.family@example.org", "gp.nurse@example.org"]
    three_sixty = ask(alpha, leader, raters, emails)
    answer(alpha, three_sixty, raters[0], 4, f"You always stop and listen {marker}")
    answer(alpha, three_sixty, raters[1], 5, "Thank you for the night you stayed late with us.")
    answer(alpha, three_sixty, raters[2], 3)
    if closed:
        three_sixty = close(alpha, three_sixty)
        with tenant_context(alpha):
            services.three_sixty_share(three_sixty=three_sixty, leader=leader, mentor=mentor_shared)
            services.three_sixty_share(three_sixty=three_sixty, leader=leader, mentor=mentor_ended)
            ended.ends_on = today
            ended.save()
    return World(
        marker=marker, leader=leader, raters=raters, other_member=other_member, admin=admin,
        mentor_shared=mentor_shared, mentor_unshared=mentor_unshared, mentor_ended=mentor_ended,
        beta_user=beta_user, operator=operator, three_sixty=three_sixty, emails=emails,
    )
