"""What the benchmarks share: a database of their own, made afresh on the server DATABASE_URL names."""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit


def fresh_database_url(name: str, script: str) -> str:
    """Drop and create the database `name` beside DATABASE_URL's, and answer its URL (the dev data is untouched)."""
    import psycopg

    url = os.environ.get("DATABASE_URL")
    if not url:
        raise SystemExit("Run me through the runner: .venv/bin/python -m config.devrunner exec "
                         f".venv/bin/python bench/{script}")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
