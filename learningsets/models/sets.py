"""Sets, members and their agreement, meetings, presenters, briefs, questions, actions, attendance."""

from __future__ import annotations

__all__: list[str] = []
