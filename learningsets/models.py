"""Action learning sets: members, agreement, meetings, presenters, briefs, questions, actions, attendance; a
team's recurring problems."""

from __future__ import annotations
