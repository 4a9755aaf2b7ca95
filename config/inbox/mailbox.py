"""Reading the local inbox: the .eml files the backend wrote, parsed with the standard library."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from html.parser import HTMLParser
from pathlib import Path

from .backend import inbox_dir

# The names the backend gives its files; anything else in the folder (or in a URL) is not a message.
MESSAGE_ID = re.compile(r"^\d{8}T\d{12}-[0-9a-f]{12}$")
URL = re.compile(r"https?://[^\s<>\"')\]]+")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href") if tag == "a" else None
        if href and href.startswith(("http://", "https://")):
            self.hrefs.append(href)


@dataclass
class Mail:
    id: str
    subject: str
    sender: str
    to: str
    cc: str
    bcc: str
    sent_at: datetime | None
    text: str
    html: str
    attachments: list[str] = field(default_factory=list)

    @property
    def links(self) -> list[str]:
        """Every web address in the message, in order, once each (the text part's and the HTML part's)."""
        found = [url.rstrip(".,;:") for url in URL.findall(self.text)]
        if self.html:
            parser = _Links()
            parser.feed(self.html)
            found += parser.hrefs
        return list(dict.fromkeys(found))

    @property
    def html_framed(self) -> str:
        # Links in the sandboxed frame open in a new tab (the pages they open refuse to be framed).
        return f'<base target="_blank">{self.html}' if self.html else ""


def _part(message: EmailMessage, subtype: str) -> str:
    body = message.get_body(preferencelist=(subtype,))
    if body is None or body.get_content_type() != f"text/{subtype}":
        return ""
    return body.get_content()


def _read(path: Path) -> Mail:
    message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    date = message["Date"]
    return Mail(
        id=path.stem,
        subject=str(message["Subject"] or "(no subject)"),
        sender=str(message["From"] or ""),
        to=str(message["To"] or ""),
        cc=str(message["Cc"] or ""),
        bcc=str(message["Bcc"] or ""),
        sent_at=getattr(date, "datetime", None),
        text=_part(message, "plain"),
        html=_part(message, "html"),
        attachments=[part.get_filename() or "attachment" for part in message.iter_attachments()],
    )


def _paths() -> list[Path]:
    folder = inbox_dir()
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.glob("*.eml") if MESSAGE_ID.match(p.stem)), reverse=True)


def mail_list() -> list[Mail]:
    """Every message, newest first."""
    return [_read(path) for path in _paths()]


def mail_get(mail_id: str) -> Mail | None:
    if not MESSAGE_ID.match(mail_id):
        return None
    path = inbox_dir() / f"{mail_id}.eml"
    return _read(path) if path.is_file() else None


def mail_clear() -> int:
    paths = _paths()
    for path in paths:
        path.unlink(missing_ok=True)
    return len(paths)
