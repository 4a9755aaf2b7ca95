"""A team's shared list of recurring problems, with the whys the team explored together."""

from __future__ import annotations

__all__: list[str] = []
