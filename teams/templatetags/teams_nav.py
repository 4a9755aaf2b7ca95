"""`{% teams_in_nav user as shown %}`: whether the main navigation offers "Teams" (people in a team, and admins)."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.db import connection

from teams.selectors import is_in_a_team

register = template.Library()


@register.simple_tag
def teams_in_nav(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or user.is_staff:
        return False
    if user.is_org_admin:
        return True  # admins see every team: no need to ask
    if connection.schema_name == settings.PUBLIC_SCHEMA_NAME:
        return False
    known = getattr(user, "_teams_of", None)  # the home page has just read them (teams.home_sections)
    if known is not None:
        return bool(known)
    return is_in_a_team(user)
