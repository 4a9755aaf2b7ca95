from django import template
from django.utils.safestring import SafeString

from courses.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """`{{ entry.body|markdown }}`: sanitised HTML (see courses.markdown)."""
    return render_markdown(text)
