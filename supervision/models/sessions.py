"""Who supervises whom, sessions, agenda items, the co-written record (versions, agreement) and actions."""

from __future__ import annotations

__all__: list[str] = []
