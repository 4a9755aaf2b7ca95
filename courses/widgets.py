"""Form widgets shared by the apps that take written text."""

from __future__ import annotations

from django import forms


class FormattedTextarea(forms.Textarea):
    """A text box that takes simple formatting (bold, italic, lists, links; rendered by courses.markdown).

    partials/field.html shows the short formatting guide under it, so people never meet the word "Markdown"."""

    simple_formatting = True
