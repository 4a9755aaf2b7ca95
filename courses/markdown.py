"""Markdown to safe HTML: markdown-it-py renders (raw HTML disabled), nh3 sanitises what comes out.

Used for lessons an organisation writes, journal entries and comments. Allowed: paragraphs, headings,
emphasis, lists, quotes, code, tables, and links with http(s)/mailto URLs (given rel="noopener noreferrer
nofollow"). Scripts, event-handler attributes, styles, images, and javascript:/data: URLs never survive.
"""

from __future__ import annotations

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "strong", "em", "ul", "ol", "li", "blockquote", "code", "pre", "a",
    "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}


def sanitise_html(html: str) -> str:
    return nh3.clean(
        html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow", strip_comments=True,
    )


def render_markdown(text: str) -> SafeString:
    """Render user-written Markdown to HTML that is safe to put in a page."""
    # h1 belongs to the page: headings in user text start at h2.
    html = _md.render(text or "").replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return mark_safe(sanitise_html(html))
