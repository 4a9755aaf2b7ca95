"""Production: every service and secret from the environment.

Refuses to start without DJANGO_SECRET_KEY, DATABASE_URL or REDIS_URL (ImproperlyConfigured naming the variable;
nothing embedded is ever started here). What else is missing (EMAIL_URL, DEFAULT_FROM_EMAIL, BASE_DOMAIN,
SENTRY_DSN) is reported by the start-up check in config.checks, which `manage.py check --deploy`,
`migrate_schemas` and the image's start command run.
"""

from config.sentry import init_sentry

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, MIDDLEWARE, content_security_policy, env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")  # raises ImproperlyConfigured when missing
INSTALLED_APPS = [*INSTALLED_APPS, "config.apps.HeartwoodConfig"]  # registers the start-up checks

# No "localhost" fallback: the check names BASE_DOMAIN when it is missing.
BASE_DOMAIN = env("BASE_DOMAIN", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[BASE_DOMAIN, f".{BASE_DOMAIN}"] if BASE_DOMAIN else [])

SITE_SCHEME = "https"
SITE_PORT = ""
CONTENT_SECURITY_POLICY = content_security_policy(scheme=SITE_SCHEME, base_domain=BASE_DOMAIN or "invalid")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# The probes (/livez, /readyz) answer before SecurityMiddleware (tenants.middleware.ProbeMiddleware), so an
# orchestrator probing over plain HTTP is never redirected.

# Host-only cookies, and the browser enforces it: a `__Host-` cookie is refused unless it is Secure, has Path=/
# and no Domain, so no subdomain (another organisation) can set or overwrite it.
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"

# --- Email: real SMTP from one URL, e.g. smtp+tls://user:password@smtp.example.org:587
EMAIL_URL = env("EMAIL_URL", default="")
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
if EMAIL_URL:
    vars().update(env.email_url("EMAIL_URL"))
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Error reports (config.sentry scrubs every event before it leaves) and one JSON log line per request.
SENTRY_DSN = env("SENTRY_DSN", default="")
init_sentry(SENTRY_DSN, environment=env("SENTRY_ENVIRONMENT", default="production"),
            release=env("SENTRY_RELEASE", default=None))

MIDDLEWARE = [*MIDDLEWARE]
# Right after the probes (which are not logged) and before the organisation routing, so the line is written
# for every other request, an unknown host's 404 included.
MIDDLEWARE.insert(MIDDLEWARE.index("tenants.middleware.ProbeMiddleware") + 1,
                  "config.request_logging.RequestLogMiddleware")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "config.request_logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # The request line comes from config.request_logging; Django's own would repeat it with the full path
        # (query string included) for every 4xx and 5xx.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
    },
}
