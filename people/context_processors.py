"""Which item of the main navigation the page belongs to (`nav_section`): exactly one, or none.

The section is the longest of the navigation's paths that the page's path starts with ("/learn/manage/" is
Manage, not Learning as well); several paths may belong to one section (Growing is /growing/, /supervision/,
/feedback/360/ and /sets/). A view that knows better says so in its context (a mentor reading a leader's
entry at /journal/<id>/ is mentoring, not their own journal): what a view passes wins over this.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

# (section, URL name of the section's root). URL names, not imports: people never imports the apps above it.
NAV_ROOTS = [
    ("learning", "courses:home"),
    ("manage", "courses:manage"),
    ("journal", "reflections:journal"),
    ("mentoring", "reflections:mentoring"),
    ("teams", "teams:mine"),
    # Growing with others: growth, supervision, 360 feedback and learning sets are one item ("Growing").
    ("growing", "supervision:growth:home"),
    ("growing", "supervision:home"),
    ("growing", "feedback:threesixty:home"),
    ("growing", "learningsets:home"),
    ("manage", "people:manage"),
]


def nav_section_for(path: str) -> str:
    if path == "/":
        return "home"
    found, length = "", 0
    for section, name in NAV_ROOTS:
        try:
            root = reverse(name)
        except NoReverseMatch:  # the public site has none of these
            continue
        if path.startswith(root) and len(root) > length:
            found, length = section, len(root)
    return found


def navigation(request: HttpRequest) -> dict[str, object]:
    return {"nav_section": nav_section_for(request.path)}
