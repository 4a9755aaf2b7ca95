"""Settings for bench/routing.py (a helper, not a benchmark: `make bench` skips files starting with "_").

One module, three setups, chosen by BENCH_ROUTING_SETUP (each setup runs in its own process):

- "plain": a single-tenant Django project — stock PostgreSQL backend, Heartwood's middleware minus tenancy (and
  minus the health-probe middleware, which lives in the tenants app),
  no django-tenants apps, router or schema-aware cache keys;
- "stock": stock django-tenants — TenantMainMiddleware, django_tenants.postgresql_backend,
  TENANT_LIMIT_SET_CALLS False (its default);
- "heartwood": Heartwood as configured (OrganisationMiddleware, config.db backend, its settings).

All three use the dedicated `heartwood_bench` database, DEBUG off, and the same two small views
(bench/_routing_urls.py), so the only differences are the ones named above.
"""

from __future__ import annotations

import os

from config.settings.base import *  # noqa: F403
from config.settings.base import ACCOUNT_APPS, CACHES, DATABASES, MIDDLEWARE, TEMPLATES

SETUP = os.environ.get("BENCH_ROUTING_SETUP", "heartwood")
BENCH_DATABASE_NAME = "heartwood_bench"

DEBUG = False
SECRET_KEY = "bench-only-not-a-secret"
ROOT_URLCONF = "bench._routing_urls"
BASE_DOMAIN = "localhost"  # the bench hosts are bench.localhost and bench-other.localhost
ALLOWED_HOSTS = [BASE_DOMAIN, f".{BASE_DOMAIN}"]
# Never the dev database, whatever DATABASE_URL names.
DATABASES = {"default": {**DATABASES["default"], "NAME": BENCH_DATABASE_NAME}}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}

if SETUP == "plain":
    INSTALLED_APPS = [*ACCOUNT_APPS, "django.contrib.messages", "django.contrib.staticfiles"]
    DATABASES["default"]["ENGINE"] = "django.db.backends.postgresql"
    DATABASE_ROUTERS: list[str] = []
    # The health-probe middleware lives in tenants (whose models a plain project lacks); it costs Heartwood a path
    # comparison per request, which this leaves on Heartwood's side of the scale.
    MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("tenants.middleware.")]
    CACHES = {
        "default": {
            k: v for k, v in CACHES["default"].items() if k not in ("KEY_FUNCTION", "REVERSE_KEY_FUNCTION")
        }
    }
    TEMPLATES = [
        {
            **TEMPLATES[0],
            "OPTIONS": {
                "context_processors": [
                    p for p in TEMPLATES[0]["OPTIONS"]["context_processors"] if not p.startswith("tenants.")
                ]
            },
        }
    ]
elif SETUP == "stock":
    DATABASES["default"]["ENGINE"] = "django_tenants.postgresql_backend"
    TENANT_LIMIT_SET_CALLS = False
    MIDDLEWARE = [
        "django_tenants.middleware.main.TenantMainMiddleware" if m == "tenants.middleware.OrganisationMiddleware"
        else m
        for m in MIDDLEWARE
    ]
elif SETUP != "heartwood":
    raise ValueError(f"BENCH_ROUTING_SETUP must be plain, stock or heartwood, not {SETUP!r}")
