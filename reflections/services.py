"""Every write on journals, shares, conversations and notifications. Run inside the organisation's schema.

Rules kept here: only the author writes an entry; an entry is shared only with the author's current mentors;
comments and acknowledgements need the entry to be visible to the writer (`selectors.entries_visible_to`);
notifications and emails carry ids, never journal text.
"""

from __future__ import annotations

import io
import json
import logging
import zipfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import slugify

from courses.models import Behaviour, Lesson, Source
from people.models import User
from people.selectors import is_current_mentor

from . import selectors
from .models import (
    SECTIONS,
    TEXT_FIELDS,
    Acknowledgement,
    Comment,
    EntryRead,
    EntryShare,
    EntryTemplate,
    JournalEntry,
    MentorDigest,
    Notification,
    Prompt,
    PromptDefaults,
    PromptDelivery,
    PromptFrequency,
    PromptSchedule,
)

logger = logging.getLogger(__name__)

PROMPTS_FILE = Path(__file__).resolve().parent / "content" / "prompts.yaml"
COMMENT_EDIT_WINDOW = timedelta(minutes=15)
EXPORT_FORMAT = "heartwood-journal"
EXPORT_VERSION = 1


# --- Prompts


@transaction.atomic
def prompts_load(*, path: Path = PROMPTS_FILE) -> int:
    """Upsert the shipped prompts by slug from the YAML file; returns how many it read.

    Accepts `{prompts: [...]}` or a bare list. Shipped prompts no longer in the file are switched off (slugs are
    never reused); prompts an organisation wrote are never touched.
    """
    if not path.exists():
        return 0
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    items = data.get("prompts", []) if isinstance(data, dict) else data
    seen: list[str] = []
    for item in items or []:
        if not isinstance(item, dict) or not item.get("slug") or not item.get("text"):
            continue
        slug = str(item["slug"]).strip()
        Prompt.objects.update_or_create(
            slug=slug,
            defaults={
                "theme": str(item.get("theme") or "").strip(),
                "text": str(item["text"]).strip(),
                "source": Source.SHIPPED,
                "is_active": True,
            },
        )
        seen.append(slug)
    seen += _lesson_questions_load()
    if seen:
        Prompt.objects.filter(source=Source.SHIPPED).exclude(slug__in=seen).update(is_active=False)
    return len(seen)


def _lesson_questions_load() -> list[str]:
    """Every shipped lesson's reflection question joins the library, themed by its module (its behaviour, or
    the module itself, e.g. psychological-safety), so a prompt can follow exactly what someone is learning."""
    slugs = []
    for lesson in Lesson.objects.filter(source=Source.SHIPPED).exclude(reflection_question="").select_related("module"):
        slug = f"lesson-{lesson.module.slug}-{lesson.slug}"[:100]
        Prompt.objects.update_or_create(slug=slug, defaults={
            "theme": lesson.module.behaviour or lesson.module.slug, "text": lesson.reflection_question.strip(),
            "source": Source.SHIPPED, "is_active": True,
        })
        slugs.append(slug)
    return slugs


# --- Entries


def _search_vector() -> SearchVector:
    # Every text column is NOT NULL (blank is ""), so no Coalesce is needed.
    vector = SearchVector("title", weight="A", config="english")
    for name in TEXT_FIELDS:
        vector = vector + SearchVector(name, weight="B", config="english")
    return vector


def _refresh_search(entry: JournalEntry) -> None:
    JournalEntry.objects.filter(pk=entry.pk).update(search_vector=_search_vector())


def _clean_fields(template: str, fields: dict[str, Any], *, keep_all: bool) -> dict[str, str]:
    """The text fields to store. A saved entry keeps only its template's sections (what a switch of template
    hid is not kept where nobody sees it); a draft keeps everything, so switching back loses nothing."""
    if template not in EntryTemplate.values:
        raise ValidationError("Choose a template.")
    used = {name for name, _, _ in SECTIONS[template]}
    return {name: str(fields.get(name) or "") if keep_all or name in used else "" for name in TEXT_FIELDS}


@transaction.atomic
def entry_create(
    *, author: User, title: str, template: str, fields: dict[str, Any], behaviours: list[str] | None = None,
    lesson: Lesson | None = None, prompt: Prompt | None = None, is_draft: bool = False,
) -> JournalEntry:
    entry = JournalEntry(
        author=author, title=title.strip(), template=template, lesson=lesson, prompt=prompt, is_draft=is_draft,
        behaviours=[b for b in (behaviours or []) if b in Behaviour.values],
        **_clean_fields(template, fields, keep_all=is_draft),
    )
    entry.full_clean(exclude=["search_vector"])
    entry.save()
    _refresh_search(entry)
    return entry


@transaction.atomic
def entry_update(
    *, entry: JournalEntry, author: User, title: str, template: str, fields: dict[str, Any],
    behaviours: list[str] | None = None, is_draft: bool | None = None,
) -> JournalEntry:
    if entry.author_id != author.pk:
        raise PermissionDenied
    entry.title = title.strip()
    entry.template = template
    entry.behaviours = [b for b in (behaviours or []) if b in Behaviour.values]
    if is_draft is not None:
        # A shared entry stays published: a mentor must never find it turned back into a draft.
        entry.is_draft = is_draft and not entry.shares.exists()
    for name, value in _clean_fields(template, fields, keep_all=entry.is_draft).items():
        setattr(entry, name, value)
    entry.updated_at = timezone.now()
    entry.full_clean(exclude=["search_vector"])
    entry.save()
    _refresh_search(entry)
    return entry


@transaction.atomic
def entry_autosave(
    *, author: User, entry: JournalEntry | None, title: str, template: str, fields: dict[str, Any],
    behaviours: list[str] | None = None, lesson: Lesson | None = None, prompt: Prompt | None = None,
) -> JournalEntry:
    """Save while the author types: creates a draft, or updates a draft or an entry nobody else can read.

    A shared entry is saved by its form only, so a mentor never reads a half-written change.
    """
    if entry is None:
        return entry_create(
            author=author, title=title, template=template, fields=fields, behaviours=behaviours, lesson=lesson,
            prompt=prompt, is_draft=True,
        )
    if not autosave_allowed(entry):
        raise ValidationError("A shared entry is saved when you press Save.")
    if not entry.is_draft and not title.strip():
        title = entry.title  # a saved entry keeps its title while the box is briefly empty
    return entry_update(entry=entry, author=author, title=title, template=template, fields=fields,
                        behaviours=behaviours)


def autosave_allowed(entry: JournalEntry) -> bool:
    return entry.is_draft or not entry.shares.exists()


@transaction.atomic
def entry_delete(*, entry: JournalEntry, author: User) -> None:
    """Really deletes: the entry, its shares, reads, comments, acknowledgements and notifications."""
    if entry.author_id != author.pk:
        raise PermissionDenied
    entry.delete()


# --- Sharing


@transaction.atomic
def entry_share(*, entry: JournalEntry, author: User, mentor: User) -> EntryShare:
    if entry.author_id != author.pk:
        raise PermissionDenied
    if entry.is_draft:
        raise ValidationError("Save the entry before you share it.")
    if not is_current_mentor(mentor=mentor, leader=author):
        raise ValidationError("You can only share with your current mentors.")
    share, created = EntryShare.objects.get_or_create(entry=entry, mentor=mentor)
    if not created and not selectors.shares_in_force().filter(pk=share.pk).exists():
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


def entry_read_record(*, entry: JournalEntry, reader: User) -> None:
    """Log that someone other than the author opened the entry (metadata only)."""
    if entry.author_id != reader.pk:
        EntryRead.objects.create(entry=entry, reader=reader)


# --- Conversations


def _visible_entry(*, entry: JournalEntry, user: User) -> JournalEntry:
    try:
        return selectors.entries_visible_to(user).get(pk=entry.pk)
    except JournalEntry.DoesNotExist:
        raise PermissionDenied from None


@transaction.atomic
def comment_create(*, entry: JournalEntry, author: User, body: str, mentor: User | None = None) -> Comment:
    """Add to the conversation between the entry's author and one mentor. A mentor writes in their own
    conversation; the author names the mentor they are answering (one the entry is shared with now)."""
    entry = _visible_entry(entry=entry, user=author)
    if author.pk == entry.author_id:
        if mentor is None or not selectors.entry_current_mentors(entry).filter(pk=mentor.pk).exists():
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


# --- Notifications


def notification_create(*, recipient: User, actor: User, entry: JournalEntry, kind: str) -> Notification:
    """An in-app notice. The author also gets an email (ids only, no content) queued after commit; a mentor
    hears about it in their digest instead of one email per event (reflections.digests). The row records the
    email, so one that could not be queued (Redis down) is sent by the relay in reflections.prompt_tasks."""
    email_due = recipient.pk == entry.author_id
    notification = Notification.objects.create(
        recipient=recipient, actor=actor, entry=entry, kind=kind, email_due=email_due
    )
    if email_due:
        from .tasks import notification_email_send

        transaction.on_commit(lambda: notification_email_send.delay(notification.pk))
    return notification


def notifications_mark_read_for_entry(*, user: User, entry: JournalEntry) -> int:
    return Notification.objects.filter(recipient=user, entry=entry, read_at__isnull=True).update(read_at=timezone.now())


def notifications_mark_read(*, user: User, notification_ids: list[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=timezone.now())


# --- Owning your record: export, import, delete


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def journal_export_data(*, user: User) -> dict[str, Any]:
    """The whole journal of `user` as plain data: entries, their shares, reads and conversations."""
    entries = (
        JournalEntry.objects.filter(author=user)
        .select_related("lesson", "prompt")
        .prefetch_related("shares__mentor", "comments__author", "comments__mentor", "acknowledgements__mentor")
        .order_by("created_at", "id")
    )
    out = []
    for entry in entries:
        out.append({
            "id": entry.pk,
            "title": entry.title,
            "template": entry.template,
            "body": entry.body,
            "sections": {name: getattr(entry, name) for name in TEXT_FIELDS if name != "body"},
            "behaviours": list(entry.behaviours),
            "lesson": {"slug": entry.lesson.slug, "title": entry.lesson.title} if entry.lesson else None,
            "prompt": {"slug": entry.prompt.slug, "text": entry.prompt.text} if entry.prompt else None,
            "is_draft": entry.is_draft,
            "created_at": _iso(entry.created_at),
            "updated_at": _iso(entry.updated_at),
            "shares": [
                {"mentor": share.mentor.get_full_name(), "shared_at": _iso(share.shared_at)}
                for share in entry.shares.all()
            ],
            "acknowledgements": [
                {"mentor": ack.mentor.get_full_name(), "at": _iso(ack.created_at)}
                for ack in entry.acknowledgements.all()
            ],
            "conversation": [
                *entry.earlier_conversation,
                *(
                    {
                        "author": comment.author.get_full_name(), "by_me": comment.author_id == user.pk,
                        "with": comment.mentor.get_full_name() if comment.mentor else "",
                        "body": comment.body, "created_at": _iso(comment.created_at),
                        "edited_at": _iso(comment.edited_at),
                    }
                    for comment in entry.comments.all()
                ),
            ],
        })
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": _iso(timezone.now()),
        "author": {"name": user.get_full_name(), "email": user.email},
        "entries": out,
    }


def _entry_markdown(item: dict[str, Any]) -> str:
    lines = [f"# {item['title'] or 'Untitled draft'}", ""]
    lines.append(f"*{EntryTemplate(item['template']).label} · written {item['created_at'][:10]}*")
    if item["behaviours"]:
        lines.append(f"*Behaviours: {', '.join(item['behaviours'])}*")
    if item["prompt"]:
        lines += ["", f"> Prompt: {item['prompt']['text']}"]
    if item["lesson"]:
        lines += ["", f"> Lesson: {item['lesson']['title']}"]
    values = {"body": item["body"], **item["sections"]}
    for name, label, _ in SECTIONS[item["template"]]:
        lines += ["", f"## {label}", "", values.get(name, "")]
    if item["conversation"]:
        lines += ["", "## Conversation"]
        for comment in item["conversation"]:
            with_whom = f" (conversation with {comment['with']})" if comment.get("with") else ""
            lines += ["", f"**{comment['author']}**{with_whom}, {comment['created_at'][:16].replace('T', ' ')}", "",
                      comment["body"]]
    return "\n".join(lines).rstrip() + "\n"


def journal_export_zip(*, user: User) -> bytes:
    """A ZIP: journal.json (everything) and one Markdown file per entry."""
    data = journal_export_data(user=user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("journal.json", json.dumps(data, ensure_ascii=False, indent=2))
        for item in data["entries"]:
            name = slugify(item["title"])[:50] or "untitled"
            archive.writestr(f"entries/{item['created_at'][:10]}-{item['id']}-{name}.md", _entry_markdown(item))
        archive.writestr(
            "README.txt",
            "Your Heartwood journal.\n\njournal.json holds every entry, who you shared it with and the conversations;"
            "\nyou can import it into Heartwood at another organisation.\nThe entries folder holds one Markdown file"
            " per entry.\n",
        )
    return buffer.getvalue()


MAX_IMPORT_BYTES = 20 * 1024 * 1024


def journal_import_parse(raw: bytes) -> dict[str, Any]:
    """Read an export (journal.json, or the ZIP holding it); raises ValidationError with a plain message."""
    if len(raw) > MAX_IMPORT_BYTES:
        raise ValidationError("That file is too large to import (the limit is 20 MB).")
    if raw[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as archive:
                info = archive.getinfo("journal.json")
                if info.file_size > MAX_IMPORT_BYTES:
                    raise ValidationError("That file is too large to import (the limit is 20 MB).")
                raw = archive.read(info)
        except (zipfile.BadZipFile, KeyError):
            raise ValidationError("That ZIP file does not hold a journal.json from Heartwood.") from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValidationError("That file is not a Heartwood journal export.") from None
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT or not isinstance(data.get("entries"), list):
        raise ValidationError("That file is not a Heartwood journal export.")
    if data.get("version") != EXPORT_VERSION:
        raise ValidationError("That export comes from a version of Heartwood this one cannot read.")
    return data


def _text(value: Any, limit: int | None = None) -> str:
    text = value if isinstance(value, str) else ""
    return text[:limit] if limit else text


def _parse_time(value: Any) -> datetime | None:
    try:
        return parse_datetime(_text(value, 40)) if value else None
    except ValueError:
        return None


@transaction.atomic
def journal_import(*, user: User, data: dict[str, Any]) -> int:
    """Add the entries of an export to `user`'s journal, as private entries; returns how many.

    Shares are not carried over (the mentors belong to the other organisation); the conversations come along
    as an earlier conversation that only the author sees. Lessons and prompts are linked again by slug.
    """
    count = 0
    for item in data["entries"]:
        if not isinstance(item, dict):
            continue
        template = item.get("template") if item.get("template") in EntryTemplate.values else EntryTemplate.FREE
        sections = item.get("sections") if isinstance(item.get("sections"), dict) else {}
        fields = {name: _text(sections.get(name)) for name in TEXT_FIELDS if name != "body"}
        fields["body"] = _text(item.get("body"))
        lesson_slug = (item.get("lesson") or {}).get("slug") if isinstance(item.get("lesson"), dict) else None
        prompt_slug = (item.get("prompt") or {}).get("slug") if isinstance(item.get("prompt"), dict) else None
        conversation = [
            {"author": _text(c.get("author"), 150), "by_me": bool(c.get("by_me")), "with": _text(c.get("with"), 150),
             "body": _text(c.get("body")),
             "created_at": _text(c.get("created_at"), 40), "edited_at": _text(c.get("edited_at"), 40) or None}
            for c in item.get("conversation") or [] if isinstance(c, dict)
        ]
        behaviours = [b for b in item.get("behaviours") or [] if b in Behaviour.values]
        entry = JournalEntry(
            author=user, title=_text(item.get("title"), 200).strip(), template=template,
            behaviours=behaviours, is_draft=bool(item.get("is_draft")), earlier_conversation=conversation,
            lesson=Lesson.objects.filter(slug=lesson_slug).first() if lesson_slug else None,
            prompt=Prompt.objects.filter(slug=prompt_slug).first() if prompt_slug else None,
            **fields,
        )
        created = _parse_time(item.get("created_at"))
        updated = _parse_time(item.get("updated_at"))
        if created and JournalEntry.objects.filter(author=user, created_at=created, title=entry.title).exists():
            continue  # already brought in by an earlier import of the same file
        entry.created_at = created or timezone.now()
        entry.updated_at = updated or entry.created_at
        entry.save()
        count += 1
    JournalEntry.objects.filter(author=user, search_vector__isnull=True).update(search_vector=_search_vector())
    return count


def _sessions_end(user: User) -> None:
    from importlib import import_module

    from allauth.usersessions.models import UserSession
    from django.contrib.sessions.models import Session

    for user_session in UserSession.objects.filter(user=user):
        user_session.end()
    # Sessions allauth did not track (e.g. made before tracking began).
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            store(session.session_key).delete()


def account_delete_blocker(*, user: User) -> str | None:
    """Why this account cannot be deleted yet, if it cannot: an organisation must keep an admin."""
    if user.is_org_admin and not (
        User.objects.filter(is_active=True, roles__contains=["admin"]).exclude(pk=user.pk).exists()
    ):
        return ("You are the only admin of your organisation. Make someone else an admin before you delete your "
                "account, so your colleagues are not left without one.")
    return None


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Delete the person and everything of theirs here: entries (with their shares, reads and conversations),
    comments they wrote, notifications, pairings and every session; then email a confirmation."""
    blocker = account_delete_blocker(user=user)
    if blocker:
        raise ValidationError(blocker)
    email, name = user.email, user.get_short_name()
    _sessions_end(user)
    user.delete()  # cascades: entries, shares, reads, comments, acknowledgements, notifications, pairings

    def confirm() -> None:
        send_mail(
            "Heartwood: your account has been deleted",
            f"Hello {name},\n\nAs you asked, your Heartwood account has been deleted, with your journal, your "
            "conversations and everything you shared.\n\nIf you did not ask for this, please contact your "
            "organisation's Heartwood admin.\n",
            None, [email],
        )

    transaction.on_commit(confirm)


# --- Prompt rhythms, defaults and digests


def rhythm_update(
    *, user: User, frequency: str, weekday: int, local_time: Any, time_zone: str, channel: str,
    paused_until: Any = None,
) -> PromptSchedule:
    """Save a person's own prompt rhythm. Changing it never sends anything at once: the next slot does."""
    schedule, created = PromptSchedule.objects.get_or_create(user=user)
    if created or schedule.frequency != frequency or schedule.weekday != weekday:
        schedule.anchor = timezone.localdate()  # fortnightly counts from the week you chose it
    schedule.frequency, schedule.weekday, schedule.local_time = frequency, weekday, local_time
    schedule.time_zone, schedule.channel, schedule.paused_until = time_zone, channel, paused_until
    schedule.save()
    return schedule


def prompts_stop(*, user: User) -> PromptSchedule:
    """Switch prompts off (the one-click link in every prompt email)."""
    current = selectors.rhythm_for(user)
    return rhythm_update(
        user=user, frequency=PromptFrequency.OFF, weekday=current.weekday, local_time=current.local_time,
        time_zone=current.time_zone if current.own else "", channel=current.channel,
    )


def prompt_defaults_update(*, frequency: str, weekday: int, local_time: Any, channel: str) -> PromptDefaults:
    """The organisation's default for everyone who has not chosen their own rhythm."""
    defaults = PromptDefaults.objects.order_by("id").first() or PromptDefaults()
    defaults.frequency, defaults.weekday, defaults.local_time, defaults.channel = (
        frequency, weekday, local_time, channel
    )
    defaults.save()
    return defaults


def delivery_dismiss(*, user: User, delivery_id: int) -> bool:
    """Set an in-app prompt aside (or mark it used once an entry is written from it)."""
    return bool(
        PromptDelivery.objects.filter(pk=delivery_id, user=user, dismissed_at__isnull=True)
        .update(dismissed_at=timezone.now())
    )


def digest_update(*, mentor: User, frequency: str) -> MentorDigest:
    digest, _ = MentorDigest.objects.update_or_create(mentor=mentor, defaults={"frequency": frequency})
    return digest
