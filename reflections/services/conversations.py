"""The conversation on a shared entry: comments and acknowledgements, written only by someone who can see the
entry (`selectors.visibility.entries_visible_to`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from people.models import User

from ..models import (
    Acknowledgement,
    Comment,
    JournalEntry,
    Notification,
)
from ..selectors.sharing import entry_current_mentors
from ..selectors.visibility import entries_visible_to
from .notifications import notification_create

COMMENT_EDIT_WINDOW = timedelta(minutes=15)


def _visible_entry(*, entry: JournalEntry, user: User) -> JournalEntry:
    try:
        return entries_visible_to(user).get(pk=entry.pk)
    except JournalEntry.DoesNotExist:
        raise PermissionDenied from None


@transaction.atomic
def comment_create(*, entry: JournalEntry, author: User, body: str, mentor: User | None = None) -> Comment:
    """Add to the conversation between the entry's author and one mentor. A mentor writes in their own
    conversation; the author names the mentor they are answering (one the entry is shared with now)."""
    entry = _visible_entry(entry=entry, user=author)
    if author.pk == entry.author_id:
        if mentor is None or not entry_current_mentors(entry).filter(pk=mentor.pk).exists():
            raise ValidationError("You can write to mentors this entry is shared with.")
        recipient = mentor
    else:
        mentor, recipient = author, entry.author
    body = body.strip()
    if not body:
        raise ValidationError("Write something before you send it.")
    comment = Comment.objects.create(entry=entry, author=author, mentor=mentor, body=body)
    notification_create(recipient=recipient, actor=author, entry=entry, kind=Notification.Kind.COMMENT)
    return comment


def comment_can_edit(comment: Comment, user: User, now: datetime | None = None) -> bool:
    return comment.author_id == user.pk and (now or timezone.now()) - comment.created_at <= COMMENT_EDIT_WINDOW


@transaction.atomic
def comment_update(*, comment: Comment, author: User, body: str) -> Comment:
    _visible_entry(entry=comment.entry, user=author)
    if not comment_can_edit(comment, author):
        raise PermissionDenied
    body = body.strip()
    if not body:
        raise ValidationError("Write something before you send it.")
    comment.body = body
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, author: User) -> None:
    _visible_entry(entry=comment.entry, user=author)
    if comment.author_id != author.pk:
        raise PermissionDenied
    comment.delete()


@transaction.atomic
def entry_acknowledge(*, entry: JournalEntry, mentor: User) -> Acknowledgement:
    entry = _visible_entry(entry=entry, user=mentor)
    if entry.author_id == mentor.pk:
        raise PermissionDenied
    ack, created = Acknowledgement.objects.get_or_create(entry=entry, mentor=mentor)
    if created:
        notification_create(recipient=entry.author, actor=mentor, entry=entry, kind=Notification.Kind.ACKNOWLEDGED)
    return ack

