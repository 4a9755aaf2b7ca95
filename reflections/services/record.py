"""Owning your record: export and import your journal, and delete your account."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import slugify

from courses.models import Behaviour, Lesson
from people.models import User
from people.services import admin_keep_one, user_sessions_end

from ..models import (
    SECTIONS,
    TEXT_FIELDS,
    EntryTemplate,
    JournalEntry,
    Prompt,
)
from .journal import search_vector_expression

EXPORT_FORMAT = "heartwood-journal"


EXPORT_VERSION = 1


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
    JournalEntry.objects.filter(author=user, search_vector__isnull=True).update(
        search_vector=search_vector_expression()
    )
    return count


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Delete the person and everything of theirs here: entries (with their shares, reads and conversations),
    comments they wrote, notifications, pairings and every session; then email a confirmation.

    Raises PeopleError when the person is the organisation's only admin (people's one rule for that)."""
    admin_keep_one(member=user, by=user, doing="delete your account")
    email, name = user.email, user.get_short_name()
    user_sessions_end(user=user)
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

