"""The demo organisation's life: every app's demo.py, run through tenants.demo_seeding, twice, changing nothing
the second time; and bootstrap_demo refuses to run where DEBUG is off."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tenants.utils import tenant_context

from courses.models import LessonProgress, Module, ModuleCompletion, SelfCheckResponse
from people.models import MentorPairing, User
from reflections.models import (
    Acknowledgement,
    Comment,
    EntryShare,
    JournalEntry,
    MentorDigest,
    Notification,
    PromptDelivery,
    PromptSchedule,
)
from reflections.selectors.visibility import entries_visible_to
from tenants.demo_seeding import demo_seed, demo_seeders
from tests.conftest import demo_people

pytestmark = pytest.mark.django_db

COUNTED = [
    LessonProgress, ModuleCompletion, SelfCheckResponse, JournalEntry, EntryShare, Comment, Acknowledgement,
    Notification, PromptDelivery, PromptSchedule, MentorDigest, MentorPairing, User,
]


@pytest.fixture
def people(alpha) -> dict[str, User]:
    return demo_people(alpha)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def test_each_app_seeds_its_own_demo_data_in_dependency_order():
    labels = [label for label, _ in demo_seeders()]
    assert labels.index("courses") < labels.index("reflections")
    assert "tenants" not in labels


def test_seeding_twice_gives_a_lived_in_organisation_once(alpha, people):
    labels = demo_seed(organisation=alpha, people=people)
    assert labels.index("courses") < labels.index("reflections") < labels.index("teams")
    with tenant_context(alpha):
        first = _counts()
    assert demo_seed(organisation=alpha, people=people)
    with tenant_context(alpha):
        assert _counts() == first  # nothing duplicated, nothing added
        leader, mentor, admin = people["leader"], people["mentor"], people["admin"]
        now = timezone.now()

        # Learning: modules finished on different days weeks ago, with minutes; a module part way through.
        completions = list(ModuleCompletion.objects.filter(user=leader).order_by("completed_at"))
        assert len(completions) >= 2
        assert all(c.cpd_minutes > 0 and c.completed_at < now - timedelta(days=7) for c in completions)
        assert completions[-1].completed_at - completions[0].completed_at > timedelta(days=3)
        assert ModuleCompletion.objects.filter(user=admin).count() >= 1
        # Each certificate has its reference and both dates; one module is required, since before today.
        assert all(c.reference.startswith("HW-") and c.started_at < c.completed_at for c in completions)
        required = Module.objects.get(is_required=True)
        assert required.required_since < now - timedelta(days=7)
        assert ModuleCompletion.objects.filter(user=leader, module=required).exists()
        assert not ModuleCompletion.objects.filter(user=admin, module=required).exists()
        open_lessons = LessonProgress.objects.filter(user=leader, completed_at__isnull=True)
        assert open_lessons.count() >= 1

        # Journal: several entries over the last weeks, in each template, none in the future.
        entries = JournalEntry.objects.filter(author=leader, is_draft=False)
        assert entries.count() >= 4
        assert set(entries.values_list("template", flat=True)) == {
            "free", "gibbs", "what-so-what-now-what", "five-whys"}
        dates = sorted(entries.values_list("created_at", flat=True))
        assert dates[0] < now - timedelta(days=14) and dates[-1] < now
        assert all(entry.has_text and entry.behaviours for entry in entries)

        # Two entries shared: one with a conversation both ways and an acknowledgement, and one this week whose
        # reply from the mentor the leader has not read yet (news on their home page). The mentor sees exactly those.
        shares = list(EntryShare.objects.filter(entry__author=leader).order_by("shared_at"))
        assert len(shares) == 2
        share, recent = shares
        conversation = Comment.objects.filter(entry=share.entry)
        assert conversation.count() >= 2
        assert {c.author_id for c in conversation} == {leader.pk, mentor.pk}
        assert Acknowledgement.objects.filter(entry=share.entry, mentor=mentor).exists()
        assert set(entries_visible_to(mentor)) == {share.entry, recent.entry}
        assert Comment.objects.filter(entry=recent.entry, author=mentor).count() == 1
        assert Notification.objects.filter(recipient=leader, entry=recent.entry, read_at__isnull=True).exists()
        assert not entries_visible_to(admin).filter(author=leader).exists()

        # Prompts received: past slots, emailed at the time (nothing left to send now), one answered by an entry.
        deliveries = PromptDelivery.objects.filter(user=leader)
        assert deliveries.count() >= 2
        assert all(d.slot < now for d in deliveries)
        assert not PromptDelivery.objects.filter(email_status=PromptDelivery.EmailStatus.PENDING).exists()
        answered = [d for d in deliveries if d.dismissed_at and entries.filter(prompt_id=d.prompt_id).exists()]
        assert len(answered) == 1 and answered[0].prompt_id is not None
        assert PromptSchedule.objects.get(user=leader).frequency == "weekly"

        # The mentor's digest setting; no notification email waiting to go out for things weeks old.
        assert MentorDigest.objects.get(mentor=mentor).frequency == "weekly"
        assert not Notification.objects.filter(email_due=True, emailed_at__isnull=True).exists()
        assert Notification.objects.filter(recipient=mentor, read_at__isnull=True).exists()  # Sam's last reply


def test_bootstrap_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("bootstrap_demo")
