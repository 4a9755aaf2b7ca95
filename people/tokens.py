"""Tokens for links in emails: random, opaque, and stored only as a hash.

A token says nothing about who it is for or which organisation sent it (no ids, no schema names to decode); the
row that holds its SHA-256 hash, in the organisation's own schema, does. A token made in one organisation
therefore means nothing in another, and a database leak does not leak working links. Invitations, prompt stop
links and the sign-up hand-over all use these two functions.
"""

from __future__ import annotations

import hashlib
import secrets

TOKEN_BYTES = 32


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_new() -> tuple[str, str]:
    """A fresh token for an email and the hash to store: (token, hash)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, token_hash(token)
