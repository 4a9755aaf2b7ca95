"""Owning your record: export and import your journal, and delete your account."""

from __future__ import annotations

import io
import json
import zipfile
import zlib
from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import slugify

from courses.models import Behaviour
from courses.selectors import visible_lessons
from people.models import User
from people.services import admin_keep_one, user_sessions_end

from ..models import (
    SECTIONS,
    TEXT_FIELDS,
    EntryTemplate,
    JournalEntry,
)
from ..selectors.prompts import prompts_active
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
        # Damaged data (zlib.error, EOFError), a password (RuntimeError), a compression zipfile cannot read.
        except (zlib.error, EOFError, RuntimeError, NotImplementedError, OSError):
            raise ValidationError(
                "That ZIP file can't be opened: it may be damaged or protected by a password. Please download "
                "your journal again and import the new file."
            ) from None
    try:
        data = json.loads(raw.decode("utf-8"))
    # ValueError: also a number too long to read; RecursionError: lists nested thousands deep.
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ValidationError("That file is not a Heartwood journal export.") from None
    journal_import_clean(data)
    return data


MAX_IMPORT_ENTRIES = 10_000
_TITLE_MAX = JournalEntry._meta.get_field("title").max_length
_NAME_MAX = 150
_PROBLEMS_SHOWN = 5


class _Problems:
    """What is wrong with an export, said per entry ("Entry 3: behaviours must be a list")."""

    def __init__(self) -> None:
        self.found: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.found.append(f"{where}: {message}")

    def raise_any(self) -> None:
        if not self.found:
            return
        shown = " ".join(f"{problem}." for problem in self.found[:_PROBLEMS_SHOWN])
        more = len(self.found) - _PROBLEMS_SHOWN
        rest = f" (and {more} more problem{'s' if more > 1 else ''})" if more > 0 else ""
        raise ValidationError(
            f"Nothing was imported: this file has been changed since Heartwood made it, and it can't be read as it "
            f"is. {shown}{rest} Please import the file exactly as you downloaded it."
        )


def _storable(value: str) -> str | None:
    """Why PostgreSQL could not store this text, or None. NUL is refused in text and JSON alike; a lone
    surrogate (half of an emoji, \\ud83d written by hand) cannot be encoded as UTF-8 at all."""
    if "\x00" in value:
        return "contains a NUL character"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "contains a character that is not valid text"
    return None


def _string(problems: _Problems, where: str, name: str, value: Any, *, limit: int | None = None) -> str:
    """`value` as text for the field `name`; records a problem (and gives "") when it can't be that."""
    if value is None:
        return ""
    if not isinstance(value, str):
        problems.add(where, f"{name} must be text")
        return ""
    problem = _storable(value)
    if problem:
        problems.add(where, f"{name} {problem}")
        return ""
    if limit and len(value) > limit:
        problems.add(where, f"{name} is longer than {limit:,} characters")
        return ""
    return value


def _moment(problems: _Problems, where: str, name: str, value: Any) -> datetime | None:
    text = _string(problems, where, name, value, limit=40)
    if not text:
        return None
    try:
        moment = parse_datetime(text)
    except ValueError:
        moment = None
    if moment is None:
        problems.add(where, f"{name} is not a date and time")
        return None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, UTC)


def _linked_slug(problems: _Problems, where: str, name: str, value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, dict):
        problems.add(where, f"{name} must be an object with a slug")
        return ""
    return _string(problems, where, f"{name} slug", value.get("slug"), limit=200)


def _conversation(problems: _Problems, where: str, value: Any) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list):
        problems.add(where, "conversation must be a list")
        return []
    messages = []
    for number, message in enumerate(value, start=1):
        at = f"{where}, conversation message {number}"
        if not isinstance(message, dict):
            problems.add(at, "must be an object")
            continue
        if not isinstance(message.get("by_me", False), bool):
            problems.add(at, "by_me must be true or false")
        created = _string(problems, at, "created_at", message.get("created_at"), limit=40)
        edited = _string(problems, at, "edited_at", message.get("edited_at"), limit=40)
        messages.append({
            "author": _string(problems, at, "author", message.get("author"), limit=_NAME_MAX),
            "by_me": message.get("by_me") is True,
            "with": _string(problems, at, "with", message.get("with"), limit=_NAME_MAX),
            "body": _string(problems, at, "body", message.get("body")),
            "created_at": created, "edited_at": edited or None,
        })
    return messages


def _entry_clean(problems: _Problems, number: int, item: Any) -> dict[str, Any] | None:
    """One exported entry as the fields of a new JournalEntry (lesson and prompt as slugs), or None."""
    where = f"Entry {number}"
    if not isinstance(item, dict):
        problems.add(where, "must be an object")
        return None
    template = item.get("template", EntryTemplate.FREE)
    if template not in EntryTemplate.values:
        problems.add(where, f"template must be one of {', '.join(EntryTemplate.values)}")
    sections = {} if item.get("sections") is None else item["sections"]
    if not isinstance(sections, dict):
        problems.add(where, "sections must be an object")
        sections = {}
    fields = {
        name: _string(problems, where, name, sections.get(name)) for name in TEXT_FIELDS if name != "body"
    }
    fields["body"] = _string(problems, where, "body", item.get("body"))
    behaviours = [] if item.get("behaviours") is None else item["behaviours"]
    if not isinstance(behaviours, list):
        problems.add(where, "behaviours must be a list")
        behaviours = []
    for behaviour in behaviours:
        if not isinstance(behaviour, str) or behaviour not in Behaviour.values:
            problems.add(where, f"behaviours may only be {', '.join(Behaviour.values)}")
            behaviours = []
            break
    is_draft = item.get("is_draft", False)
    if not isinstance(is_draft, bool):
        problems.add(where, "is_draft must be true or false")
    created = _moment(problems, where, "created_at", item.get("created_at"))
    return {
        "title": _string(problems, where, "title", item.get("title"), limit=_TITLE_MAX).strip(),
        "template": template if template in EntryTemplate.values else EntryTemplate.FREE,
        "behaviours": sorted(set(behaviours), key=behaviours.index),
        "is_draft": is_draft is True,
        "earlier_conversation": _conversation(problems, where, item.get("conversation")),
        "lesson_slug": _linked_slug(problems, where, "lesson", item.get("lesson")),
        "prompt_slug": _linked_slug(problems, where, "prompt", item.get("prompt")),
        "created_at": created,
        "updated_at": _moment(problems, where, "updated_at", item.get("updated_at")) or created,
        **fields,
    }


def journal_import_clean(data: Any) -> list[dict[str, Any]]:
    """Check the whole export before anything is written: every entry's fields as a new entry needs them, or
    ValidationError naming what is wrong where. Hand-edited files meet the same rules as the form does."""
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT or not isinstance(data.get("entries"), list):
        raise ValidationError("That file is not a Heartwood journal export.")
    if data.get("version") != EXPORT_VERSION:
        raise ValidationError("That export comes from a version of Heartwood this one cannot read.")
    if len(data["entries"]) > MAX_IMPORT_ENTRIES:
        raise ValidationError(f"That export has more than {MAX_IMPORT_ENTRIES:,} entries; Heartwood cannot import it.")
    problems = _Problems()
    entries = [_entry_clean(problems, number, item) for number, item in enumerate(data["entries"], start=1)]
    problems.raise_any()
    return [entry for entry in entries if entry is not None]


@transaction.atomic
def journal_import(*, user: User, data: dict[str, Any]) -> int:
    """Add the entries of an export to `user`'s journal, as private entries; returns how many. All or nothing:
    raises ValidationError, having written nothing, when any entry is wrong.

    Shares are not carried over (the mentors belong to the other organisation); the conversations come along
    as an earlier conversation that only the author sees. Lessons and prompts are linked again by slug, through
    the same rules as a new entry: a lesson of a hidden module, or a prompt no longer offered, is left out.
    """
    count = 0
    for fields in journal_import_clean(data):
        lesson_slug, prompt_slug = fields.pop("lesson_slug"), fields.pop("prompt_slug")
        created, updated = fields.pop("created_at"), fields.pop("updated_at")
        if created and JournalEntry.objects.filter(author=user, created_at=created, title=fields["title"]).exists():
            continue  # already brought in by an earlier import of the same file
        entry = JournalEntry(
            author=user,
            lesson=visible_lessons().filter(slug=lesson_slug).first() if lesson_slug else None,
            prompt=prompts_active().filter(slug=prompt_slug).first() if prompt_slug else None,
            **fields,
        )
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

    if email:  # someone without an email address saw the goodbye page, and that is all
        transaction.on_commit(confirm)

