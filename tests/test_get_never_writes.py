"""A GET never writes: opening a page (or a link scanner following one from an email) changes nothing in the
organisation's data. What opening a page records (a mentor's read, a lesson visited, a notice read) is sent by the
page itself as a POST (static/js/seen.js), and a prompt card goes once an entry is saved from it.

PostgreSQL counts the rows each transaction inserts, updates and deletes per table (`pg_stat_xact_user_tables`);
a test runs in one transaction, so the counts before and after the GETs must be equal."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import tenant_context

from courses.models import Lesson, LessonProgress
from courses.services import lesson_complete
from people.models import MentorPairing
from reflections.models import EntryRead, Notification, Prompt, PromptDelivery
from reflections.services.journal import entry_create
from reflections.services.sharing import entry_share
from tests.conftest import client_for, make_person

# allauth's "where you are signed in" list notes each request's time and IP: a record about the session that made
# the request, shown only to its owner, not a change to anything the organisation holds.
SESSION_BOOKKEEPING = {"usersessions_usersession", "django_session"}


def _writes(schema: str) -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables WHERE schemaname = %s",
            [schema],
        )
        return {table: count for table, count in cursor.fetchall() if table not in SESSION_BOOKKEEPING}


@pytest.mark.django_db
def test_opening_pages_writes_nothing_and_the_seen_beacons_record(alpha):
    leader = make_person(alpha, ["leader"], name="Lee Leader")
    mentor = make_person(alpha, ["mentor"], name="Mo Mentor")
    admin = make_person(alpha, ["admin", "leader"], name="Ada Admin")
    with tenant_context(alpha):
        MentorPairing.objects.create(leader=leader, mentor=mentor)
        entry = entry_create(author=leader, title="A long night", template="free", fields={"body": "Tired."})
        entry_share(entry=entry, author=leader, mentor=mentor)
        notice = Notification.objects.get(recipient=mentor, entry=entry)
        lesson = Lesson.objects.select_related("module").filter(module__is_hidden=False).first()
        prompt = Prompt.objects.filter(is_active=True).first()
        card = PromptDelivery.objects.create(user=leader, slot=timezone.now(), prompt=prompt, channel="app")
        for done in Lesson.objects.filter(module=lesson.module):  # the admin finished a module: its page
            lesson_complete(user=admin, lesson=done)
    lesson_url = f"/learn/{lesson.module.slug}/{lesson.slug}/"
    visits = {
        leader: ["/", "/journal/", f"/journal/{entry.pk}/", lesson_url, "/learn/", "/learn/cpd/",
                 f"/journal/prompts/cards/{card.pk}/write/", f"/journal/new/?prompt={prompt.pk}", "/journal/prompts/"],
        mentor: ["/", "/mentoring/", f"/journal/{entry.pk}/", f"/notifications/{notice.pk}/", "/notifications/"],
        admin: ["/", "/manage/", "/manage/people/", "/manage/learning/", "/learn/manage/", "/manage/people/add/",
                f"/manage/people/{leader.pk}/", "/join/", f"/learn/completed/{lesson.module.slug}/"],
    }
    clients = {person: client_for(alpha, person) for person in visits}
    with tenant_context(alpha):
        before = _writes(alpha.schema_name)
        # The counter sees this transaction's own writes (the set-up above), so it would see a GET's too.
        assert before["reflections_journalentry"] >= 1 and before["reflections_promptdelivery"] >= 1
    for person, urls in visits.items():
        for url in urls:
            assert clients[person].get(url).status_code in (200, 302), url
    with tenant_context(alpha):
        after = _writes(alpha.schema_name)
        changed = {table: after.get(table, 0) - before.get(table, 0) for table in after
                   if after.get(table, 0) != before.get(table, 0)}
        assert changed == {}
        assert not EntryRead.objects.exists()
        assert not LessonProgress.objects.filter(user=leader).exists()
        assert Notification.objects.get(pk=notice.pk).read_at is None
        assert PromptDelivery.objects.get(pk=card.pk).dismissed_at is None

    # What the pages send once open in a browser.
    assert clients[mentor].post(f"/journal/{entry.pk}/seen/").status_code == 204
    assert clients[leader].post(f"{lesson_url}seen/").status_code == 204
    assert clients[leader].post(f"/journal/{entry.pk}/seen/").status_code == 204  # the author: no read logged
    with tenant_context(alpha):
        assert list(EntryRead.objects.values_list("reader_id", flat=True)) == [mentor.pk]
        assert LessonProgress.objects.filter(user=leader, lesson=lesson).exists()
        assert Notification.objects.get(pk=notice.pk).read_at is not None
    # The beacons answer 404 like every other surface: nobody records a read of an entry they cannot see.
    outsider = make_person(alpha, ["mentor"], name="Sol Stranger")
    assert client_for(alpha, outsider).post(f"/journal/{entry.pk}/seen/").status_code == 404
    assert client_for(alpha, outsider).get(f"/journal/{entry.pk}/seen/").status_code == 405
