"""For dev and test settings only: fill in DATABASE_URL and REDIS_URL from the embedded servers.

`make run` / `make test` start embedded PostgreSQL and Redis (config.embedded) and pass their URLs in; a bare
`manage.py` run finds the ones the runner started. Production never imports this module (nor config.embedded,
whose packages are only in the `dev` extra): there, a missing URL stops start-up with its name.
"""

from __future__ import annotations

import os


def use_embedded_services_when_unset() -> None:
    if not os.environ.get("DATABASE_URL"):
        from config.embedded import postgres_url

        os.environ["DATABASE_URL"] = postgres_url()
    if not os.environ.get("REDIS_URL"):
        from config.embedded import running_redis_url

        url = running_redis_url()
        if not url:
            from django.core.exceptions import ImproperlyConfigured

            raise ImproperlyConfigured("Set REDIS_URL, or start Heartwood with `make run` (it starts Redis).")
        os.environ["REDIS_URL"] = url
