"""A person's growth profile and suggestions to it, how they feel about leading, stretch opportunities."""

from __future__ import annotations

__all__: list[str] = []
