from typing import Any

from django import template

from reflections.selectors.prompts import prompt_cards_for

register = template.Library()


@register.inclusion_tag("reflections/partials/prompt_cards.html", takes_context=True)
def prompt_cards(context: dict[str, Any]) -> dict[str, Any]:
    """`{% prompt_cards %}`: the signed-in person's in-app prompts (one query)."""
    request = context["request"]
    user = request.user
    cards = list(prompt_cards_for(user)) if user.is_authenticated and user.is_leader else []
    return {"cards": cards, "request": request, "csrf_token": context.get("csrf_token")}
