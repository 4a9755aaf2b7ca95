"""Where an entry is shared: with the author's current mentors only, one at a time, and every read logged."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from people.models import User
from people.selectors import is_current_mentor

from ..models import (
    EntryRead,
    EntryShare,
    JournalEntry,
    Notification,
)
from ..selectors.visibility import shares_in_force
from .notifications import notification_create


@transaction.atomic
def entry_share(*, entry: JournalEntry, author: User, mentor: User) -> EntryShare:
    if entry.author_id != author.pk:
        raise PermissionDenied
    if entry.is_draft:
        raise ValidationError("Save the entry before you share it.")
    if not is_current_mentor(mentor=mentor, leader=author):
        raise ValidationError("You can only share with your current mentors.")
    share, created = EntryShare.objects.get_or_create(entry=entry, mentor=mentor)
    if not created and not shares_in_force().filter(pk=share.pk).exists():
        # Shared under an earlier pairing with this mentor, which ended: sharing again is a new share.
        share.shared_at = timezone.now()
        share.save(update_fields=["shared_at"])
        created = True
    if created:
        notification_create(recipient=mentor, actor=author, entry=entry, kind=Notification.Kind.SHARED)
    return share


@transaction.atomic
def entry_unshare(*, entry: JournalEntry, author: User, mentor: User) -> None:
    """Stop sharing with one mentor. Their notifications about this entry go too."""
    if entry.author_id != author.pk:
        raise PermissionDenied
    EntryShare.objects.filter(entry=entry, mentor=mentor).delete()
    Notification.objects.filter(entry=entry, recipient=mentor).delete()


def entry_read_record(*, entry: JournalEntry, reader: User, after_own_action: bool = False) -> EntryRead | None:
    """Log that someone other than the author opened the entry (metadata only).

    The rule: a visit is a read; coming back to the entry after your own reply or acknowledgement on it is not
    (`after_own_action`: the page load the reply's redirect led to; the views know it). The author sees "read
    twice" only when a mentor really came back to it."""
    if entry.author_id == reader.pk or after_own_action:
        return None
    return EntryRead.objects.create(entry=entry, reader=reader)

