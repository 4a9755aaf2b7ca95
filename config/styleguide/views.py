"""The living style page: each component drawn from its real template or classes, beside the markup that drew it.

Each sample is a template of its own (templates/styleguide/samples/<slug>.html): the page renders it and shows its
source, so what is shown is exactly what was drawn."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import get_template


@dataclass(frozen=True)
class Sample:
    name: str
    slug: str  # templates/styleguide/samples/<slug>.html, and the section's id
    use: str


SAMPLES = [
    Sample("Card", "card",
           "A block of related things. A list item can be a card; a card can be one big link."),
    Sample("Tag", "tag",
           "A short label. The four behaviours keep their colours; status tags say done, waiting or new."),
    Sample("Meta line", "meta",
           "Date and kind under a title. A line break never leaves a dot at the start of a line."),
    Sample("Tab bar", "tabs",
           "Pages of one area. On a phone it stays one row and scrolls sideways, the current tab in view."),
    Sample("Table that stacks", "table-stack",
           "Rows of facts. On a phone each row becomes a block of “Label: value” lines (each cell's data-label)."),
    Sample("Pager", "pager",
           "The pages of a long list: newer and older, with where you are."),
    Sample("Empty state", "empty-state",
           "An empty list, said warmly, with the first thing to do."),
    Sample("Flash", "flash",
           "What just happened, after an action (Django's messages use it through base.html)."),
    Sample("Stat", "stat",
           "A number with what it counts. Counts only: never a ranking of people."),
    Sample("Disclosure", "disclosure",
           "Something to open when wanted. The triangle sits on the heading's line."),
    Sample("Progress bar", "progress",
           "How far through something. The words are always there too."),
    Sample("Formatting guide", "format-guide",
           "Beside a text box that takes bold, lists and links (courses.widgets.FormattedTextarea brings it)."),
    Sample("Action bar", "action-bar",
           "The main action of a long page. On a phone it stays at the bottom of the screen."),
    Sample("Buttons", "buttons",
           "One primary action a page; others plain; danger for what cannot be undone."),
]


def style_page(request: HttpRequest) -> HttpResponse:
    samples = []
    for sample in SAMPLES:
        template = get_template(f"styleguide/samples/{sample.slug}.html")
        samples.append((sample, template.render({}, request), template.template.source))
    return render(request, "styleguide/index.html", {"samples": samples})
