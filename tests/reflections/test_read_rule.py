"""What counts as a mentor's read of an entry: a visit is a read; coming back to the entry after your own reply
or acknowledgement on it is not (reflections.services.sharing.entry_read_record, told by the views)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from reflections.models import EntryRead, Notification
from reflections.services.conversations import comment_create
from reflections.services.journal import entry_create
from reflections.services.sharing import entry_read_record, entry_share
from reflections.views import RETURN_SESSION_KEY
from tests.conftest import client_for, make_person
from tests.reflections.conftest import pair

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(alpha):
    leader, mentor = make_person(alpha, ["leader"], name="Lee Leader"), make_person(alpha, ["mentor"], name="Mo Mentor")
    pair(alpha, leader, mentor)
    with tenant_context(alpha):
        entry = entry_create(author=leader, title="Handover", template="free", fields={"body": "x"})
        entry_share(entry=entry, author=leader, mentor=mentor)
    return leader, mentor, entry


def _reads(alpha, entry, mentor) -> int:
    with tenant_context(alpha):
        return EntryRead.objects.filter(entry=entry, reader=mentor).count()


def _follow(client, response) -> None:
    """What a browser does after a POST: load the page it is sent to, whose beacon then says it was seen."""
    assert response.status_code == 302
    path = response["Location"].split("#")[0]
    assert client.get(path).status_code == 200
    assert client.post(path + "seen/").status_code == 204


def test_a_reply_and_the_page_it_returns_to_are_not_a_second_read(alpha, shared):
    leader, mentor, entry = shared
    client = client_for(alpha, mentor)
    client.get(f"/journal/{entry.pk}/")
    client.post(f"/journal/{entry.pk}/seen/")
    assert _reads(alpha, entry, mentor) == 1

    _follow(client, client.post(f"/journal/{entry.pk}/comments/", {"body": "Thank you for sharing this."}))
    assert _reads(alpha, entry, mentor) == 1
    _follow(client, client.post(f"/journal/{entry.pk}/acknowledge/"))
    assert _reads(alpha, entry, mentor) == 1
    page = client_for(alpha, leader).get(f"/journal/{entry.pk}/").content.decode()
    assert "read 2 times" not in page

    # Coming back later is a read again.
    client.get(f"/journal/{entry.pk}/")
    client.post(f"/journal/{entry.pk}/seen/")
    assert _reads(alpha, entry, mentor) == 2


def test_the_return_still_reads_the_notices_that_came_in_meanwhile(alpha, shared):
    leader, mentor, entry = shared
    client = client_for(alpha, mentor)
    client.post(f"/journal/{entry.pk}/seen/")
    response = client.post(f"/journal/{entry.pk}/comments/", {"body": "A question for you."})
    with tenant_context(alpha):
        comment_create(entry=entry, author=leader, body="An answer", mentor=mentor)
    _follow(client, response)
    with tenant_context(alpha):
        assert not Notification.objects.filter(recipient=mentor, read_at__isnull=True).exists()
    assert _reads(alpha, entry, mentor) == 1


def test_only_the_entry_replied_on_and_only_just_after(alpha, shared):
    leader, mentor, entry = shared
    with tenant_context(alpha):
        other = entry_create(author=leader, title="Another", template="free", fields={"body": "y"})
        entry_share(entry=other, author=leader, mentor=mentor)
    client = client_for(alpha, mentor)
    client.post(f"/journal/{entry.pk}/comments/", {"body": "Reply"})
    # Opening a different entry next is a read of that entry, and uses up the mark.
    client.post(f"/journal/{other.pk}/seen/")
    assert _reads(alpha, other, mentor) == 1
    client.post(f"/journal/{entry.pk}/seen/")
    assert _reads(alpha, entry, mentor) == 1

    # A mark left by a reply whose page never loaded does not hide a visit much later.
    client.post(f"/journal/{entry.pk}/comments/", {"body": "Another reply"})
    session = client.session
    session[RETURN_SESSION_KEY]["at"] = (timezone.now() - timedelta(hours=2)).timestamp()
    session.save()
    client.post(f"/journal/{entry.pk}/seen/")
    assert _reads(alpha, entry, mentor) == 2


def test_the_service_says_the_rule(alpha, shared):
    leader, mentor, entry = shared
    with tenant_context(alpha):
        assert entry_read_record(entry=entry, reader=mentor) is not None
        assert entry_read_record(entry=entry, reader=mentor, after_own_action=True) is None
        assert entry_read_record(entry=entry, reader=leader) is None  # the author's own visits are never logged
        assert EntryRead.objects.filter(entry=entry).count() == 1
