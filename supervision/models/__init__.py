"""Supervision's models, by area: `sessions` (who supervises whom, sessions, agenda, the co-written record and
its versions and agreement, actions) and `growth` (a person's growth profile and suggestions to it, how they feel
about leading, stretch opportunities)."""

from .growth import *  # noqa: F403
from .sessions import *  # noqa: F403
