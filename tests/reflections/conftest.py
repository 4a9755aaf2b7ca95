"""A journal scenario in organisation alpha: a leader with two current mentors (one shared with, one not), a
mentor whose pairing ended, another mentor and leader, an admin; and a person at beta."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context

from people.models import MentorPairing, User
from people.services import user_create
from reflections.models import Comment, JournalEntry
from reflections.services.conversations import comment_create
from reflections.services.journal import entry_create
from reflections.services.sharing import entry_share
from tests.conftest import PASSWORD, make_person


@dataclass
class Journal:
    marker: str
    author: User
    mentor_shared: User
    mentor_unshared: User
    mentor_ended: User
    other_mentor: User
    other_leader: User
    admin: User
    beta_user: User
    operator: User
    entry: JournalEntry
    author_comment: Comment
    mentor_comment: Comment


def pair(organisation, leader: User, mentor: User, **kwargs) -> MentorPairing:
    with tenant_context(organisation):
        return MentorPairing.objects.create(leader=leader, mentor=mentor, **kwargs)


@pytest.fixture
def journal(db, alpha, beta, django_capture_on_commit_callbacks) -> Journal:
    marker = f"MARKER{uuid.uuid4().hex[:12]}"
    author = make_person(alpha, ["leader"], name="Lee Leader")
    mentor_shared = make_person(alpha, ["mentor"], name="Mo Mentor")
    mentor_unshared = make_person(alpha, ["mentor"], name="Una Unshared")
    mentor_ended = make_person(alpha, ["mentor"], name="Ed Ended")
    other_mentor = make_person(alpha, ["mentor"], name="Otto Other")
    other_leader = make_person(alpha, ["leader"], name="Olive Other")
    admin = make_person(alpha, ["admin", "leader"], name="Ada Admin")
    beta_user = make_person(beta, ["admin", "leader", "mentor"], name="Bea Beta")
    with schema_context("public"):
        operator = user_create(
            email=f"operator-{uuid.uuid4().hex[:6]}@heartwood.test", full_name="Opal Operator", roles=[],
            password=PASSWORD, verified=True, is_staff=True, is_superuser=True,
        )
    today = timezone.localdate()
    pair(alpha, author, mentor_shared)
    pair(alpha, author, mentor_unshared)
    ended = pair(alpha, author, mentor_ended, starts_on=today - timedelta(days=30))
    pair(alpha, other_leader, other_mentor)
    pair(alpha, admin, mentor_shared)
    with tenant_context(alpha):
        entry = entry_create(
            author=author, title=f"Hard handover {marker}", template="gibbs",
            fields={"gibbs_description": f"What happened {marker}", "gibbs_feelings": "Tired and worried."},
            behaviours=["attending"],
        )
        entry_share(entry=entry, author=author, mentor=mentor_shared)
        entry_share(entry=entry, author=author, mentor=mentor_ended)
        mentor_comment = comment_create(entry=entry, author=mentor_shared, body=f"Mentor says {marker}")
        author_comment = comment_create(
            entry=entry, author=author, body=f"Author replies {marker}", mentor=mentor_shared
        )
        # The pairing with this mentor ended today: from now on they must see nothing.
        ended.ends_on = today
        ended.save()
    return Journal(
        marker=marker, author=author, mentor_shared=mentor_shared, mentor_unshared=mentor_unshared,
        mentor_ended=mentor_ended, other_mentor=other_mentor, other_leader=other_leader, admin=admin,
        beta_user=beta_user, operator=operator, entry=entry, author_comment=author_comment,
        mentor_comment=mentor_comment,
    )
