"""Settings for the load bench's own stack (bench/_stack.py): production's, served over plain HTTP on localhost.

Everything comes from config.settings.production (DEBUG off, every service from the environment, the JSON request
log, manifest static files, production's password hasher), with only what plain HTTP on `*.localhost` needs:

- BASE_DOMAIN `localhost` (organisations at `org-<n>.localhost:<port>`), SITE_SCHEME http, SITE_PORT from the
  stack, and the Content Security Policy made for them;
- no HTTPS redirect and no HSTS, cookies without Secure and without the `__Host-` prefix (which browsers and HTTP
  clients refuse over plain HTTP);
- Django's file mail backend writing into the stack's own directory (BENCH_LOAD_MAIL_DIR), so no email leaves the
  machine, and the start-up check's complaints about SMTP, BASE_DOMAIN and Sentry silenced for the same reasons;
- static files collected into the stack's own directory (BENCH_LOAD_STATIC_ROOT).

The stack hands every process DATABASE_URL (its own PostgreSQL), REDIS_URL (its own Redis) and DJANGO_SECRET_KEY.
"""

from __future__ import annotations

import os
from pathlib import Path

from config.settings.production import *  # noqa: F403
from config.settings.production import BASE_DIR, content_security_policy, env

BASE_DOMAIN = "localhost"
ALLOWED_HOSTS = [BASE_DOMAIN, f".{BASE_DOMAIN}"]
SITE_SCHEME = "http"
SITE_PORT = env("SITE_PORT", default="")
CONTENT_SECURITY_POLICY = content_security_policy(scheme=SITE_SCHEME, base_domain=BASE_DOMAIN)

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SESSION_COOKIE_NAME = "sessionid"
CSRF_COOKIE_NAME = "csrftoken"

_ROOT = Path(os.environ.get("BENCH_LOAD_ROOT", BASE_DIR / ".local" / "bench-load"))
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ.get("BENCH_LOAD_MAIL_DIR", str(_ROOT / "mail"))
DEFAULT_FROM_EMAIL = "Heartwood <hello@heartwood.localhost>"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
STATIC_ROOT = Path(os.environ.get("BENCH_LOAD_STATIC_ROOT", str(_ROOT / "static")))

# E001 asks for SMTP (the file backend stands in), E003 refuses a localhost BASE_DOMAIN (this stack is local by
# design), W002 asks for Sentry.
SILENCED_SYSTEM_CHECKS = ["heartwood.E001", "heartwood.E003", "heartwood.W002"]
