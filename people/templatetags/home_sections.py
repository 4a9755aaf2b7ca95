from typing import Any

from django import template
from django.utils.safestring import SafeString

from people.home import HomeSection

register = template.Library()


@register.simple_tag(takes_context=True)
def home_section(context: template.Context, section: HomeSection) -> SafeString:
    """`{% home_section section %}`: draw one section of the home page with its own context (people.home)."""
    body = context.template.engine.get_template(section.template)
    extra: dict[str, Any] = dict(section.context)
    with context.push(section=section, **extra):
        return body.render(context)
