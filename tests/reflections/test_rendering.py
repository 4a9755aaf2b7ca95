"""Entry bodies and comments are Markdown, sanitised: whatever someone types, the page never runs it."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses.markdown import ALLOWED_TAGS
from tests.courses.test_markdown import XSS, elements

SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")


def assert_safe(html: str) -> None:
    """Only allowed elements; no event handlers or styles; a link is relative or http(s)/mailto. A browser
    ignores tabs, newlines and control characters inside a scheme, so they are removed before looking."""
    for tag, attrs in elements(html):
        assert tag in ALLOWED_TAGS, tag
        for name, value in attrs.items():
            assert not name.startswith("on"), name
            assert name not in ("style", "src", "srcdoc", "formaction", "action"), name
            if name == "href":
                squashed = "".join(ch for ch in (value or "") if ord(ch) > 32).lower()
                scheme = SCHEME.match(squashed)
                assert scheme is None or scheme.group(1) in ("http", "https", "mailto"), value

FRAGMENTS = st.sampled_from([
    "<script>", "</script>", "<img src=x onerror=alert(1)>", "javascript:", "JaVaScRiPt:", "data:text/html,",
    "vbscript:", "<a href='javascript:alert(1)'>", "[x](", ")", "](javascript:alert(1))", "<svg/onload=alert(1)>",
    "onmouseover=", '"', "'", "`", "<", ">", "&#x6A;avascript:", "\n", "**", "# ", "> ", "- ", "<iframe>", "<style>",
    "<object data=x>", "<math>", "<details open ontoggle=alert(1)>", "![i](data:image/svg+xml,<svg onload=1>)",
    "<form action=javascript:1>", "<base href=javascript:/>", "&lt;script&gt;", "[a](java\tscript:1)",
])
TEXT = st.lists(st.one_of(FRAGMENTS, st.text(max_size=12)), max_size=25).map("".join)


def render(text: str) -> str:
    return Template("{% load markdown %}{{ text|markdown }}").render(Context({"text": text}))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_rendered_entries_never_carry_scripts_handlers_or_dangerous_urls(text):
    html = render(text)
    assert_safe(html)
    assert "<script" not in html.lower()  # as text it is escaped (&lt;script)


@pytest.mark.django_db
@pytest.mark.parametrize("payload", XSS + [
    "<details open ontoggle=alert(1)>x</details>", "[x](vbscript:msgbox(1))", "<a href=javascript&colon;alert(1)>x</a>",
])
def test_known_payloads_in_an_entry_and_a_reply_are_neutralised(payload, alpha):
    from django_tenants.utils import tenant_context

    from reflections.services.conversations import comment_create
    from reflections.services.journal import entry_create
    from reflections.services.sharing import entry_share
    from tests.conftest import client_for, make_person
    from tests.reflections.conftest import pair

    person, mentor = make_person(alpha, ["leader"]), make_person(alpha, ["mentor"])
    pair(alpha, person, mentor)
    with tenant_context(alpha):
        entry = entry_create(author=person, title="XSS", template="free", fields={"body": payload})
        entry_share(entry=entry, author=person, mentor=mentor)
        comment_create(entry=entry, author=mentor, body=payload)
    page = client_for(alpha, person).get(f"/journal/{entry.pk}/").content.decode()
    body = page.split('<div class="entry-body">', 1)[1].split("</article>", 1)[0]
    comment = page.split('<div class="comment-body">', 1)[1].split("</article>", 1)[0]
    for html in (body, comment):
        assert_safe(html)
        assert "<script" not in html.lower()

