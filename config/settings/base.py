"""Settings shared by every environment. Values come from the environment (django-environ)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
BASE_DOMAIN = env("BASE_DOMAIN", default="localhost")
SITE_SCHEME = env("SITE_SCHEME", default="http")
# The port people type after the host locally ("localhost:8000"); empty in production.
SITE_PORT = env("SITE_PORT", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[BASE_DOMAIN, f".{BASE_DOMAIN}"])

# --- Apps: users, sessions and allauth live at both levels, so a session always maps to a user of the
# same schema (see ../shared/PITFALLS.md, "Accounts across schemas").
ACCOUNT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "people",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
]
SHARED_APPS = [
    "django_tenants",
    "tenants",
    *ACCOUNT_APPS,
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
]
TENANT_APPS = [
    *ACCOUNT_APPS,
    "courses",
    "reflections",
    "teams",
    "feedback",
    "supervision",
    "learningsets",
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

# What belongs to each person alone: never in an organisation's export (the operator console's delete), only in
# that person's own journal download. App labels or "app.model" labels.
# Feedback too: a 360 is its leader's alone, and the words of an anonymous answer are nobody's to hand over.
PRIVATE_TO_EACH_PERSON = ["reflections", "courses.selfcheckresponse", "feedback"]

TENANT_MODEL = "tenants.Organisation"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_NAME = "public"
TENANT_BASE_SCHEMA = "tenant_template"
TENANT_CREATION_FAKES_MIGRATIONS = True
# Only issue `SET search_path` when the connection is not already on the schema (see config.db).
TENANT_LIMIT_SET_CALLS = True
# migrate_schemas uses Heartwood's executor unless --executor names another (tenants/migrating.py): schemas with
# nothing to apply are found in one query, and a plan applied once is replayed in the others over this many
# connections at once.
GET_EXECUTOR_FUNCTION = "tenants.migrating.executor_get"
TENANT_MIGRATION_CONNECTIONS = env.int("TENANT_MIGRATION_CONNECTIONS", default=4)
PUBLIC_SCHEMA_URLCONF = "config.urls_public"
ROOT_URLCONF = "config.urls_tenant"
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
# How long a web process trusts its host -> organisation map before asking the database again. Changes
# made in this process (domain edits, suspensions) invalidate it at once.
TENANT_HOST_CACHE_SECONDS = env.int("TENANT_HOST_CACHE_SECONDS", default=30)

MIDDLEWARE = [
    # Health probes answer first, for any Host (an IP address included), before routing and host validation.
    "tenants.middleware.ProbeMiddleware",
    # Headers every page gets, the "unknown organisation" pages the routing renders included.
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "tenants.middleware.OrganisationMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tenants.context_processors.organisation",
                "people.context_processors.navigation",
                "reflections.context_processors.news",
                "csp.context_processors.nonce",
            ],
        },
    }
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"


# --- Database and Redis: always from the environment. Production refuses to start without them (django-environ
# raises ImproperlyConfigured naming the variable); dev and test settings fill them in from the embedded servers
# first (config.settings.local_services), so nothing here ever starts a server.
def required_url(name: str, example: str) -> str:
    url = env(name, default="")
    if not url:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"Set the {name} environment variable (e.g. {example}). Heartwood does not start a server of its own "
            "outside `make run` / `make test`."
        )
    return url


DATABASES = {"default": env.db_url_config(required_url("DATABASE_URL", "postgres://user:password@host:5432/heartwood"))}
# A unix-socket directory arrives percent-encoded in the URL's host part.
DATABASES["default"]["HOST"] = unquote(DATABASES["default"]["HOST"])
DATABASES["default"]["ENGINE"] = "config.db"
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Behind PgBouncer with pool_mode=transaction set DATABASE_POOL_MODE=transaction: every statement then carries
# its organisation's search path (config.db), and no server-side cursor outlives its transaction.
DATABASES["default"]["POOL_MODE"] = env("DATABASE_POOL_MODE", default="session")
if DATABASES["default"]["POOL_MODE"] == "transaction":
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def redis_base_url() -> str:
    url = required_url("REDIS_URL", "redis://host:6379")
    # Database numbers are ours to choose (cache, broker and results must not share one).
    return re.sub(r"/\d*$", "", url.rstrip("/"))


REDIS_URL = redis_base_url()
REDIS_DB_CACHE, REDIS_DB_BROKER, REDIS_DB_RESULTS = 0, 1, 2

CACHES = {
    "default": {
        # Django's RedisCache, answering as an empty cache while Redis is down (config.cache): no page fails on it.
        "BACKEND": "config.cache.ForgivingRedisCache",
        "LOCATION": f"{REDIS_URL}/{REDIS_DB_CACHE}",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        # Keys carry the schema, so one organisation's rate limits and cached pages never reach another.
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
        "TIMEOUT": 300,
    }
}

# --- Celery
CELERY_BROKER_URL = f"{REDIS_URL}/{REDIS_DB_BROKER}"
CELERY_RESULT_BACKEND = f"{REDIS_URL}/{REDIS_DB_RESULTS}"
CELERY_RESULT_EXPIRES = 3600
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Countdowns and ETAs must stay below the visibility timeout, or Redis redelivers them.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 1}
# With Redis down a web request waits at most about a second before relayed work is left to its relay.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_TASK_TENANT_CACHE_SECONDS = 0
CELERY_TIMEZONE = "UTC"
CELERY_IMPORTS = [
    "tenants.fanout", "tenants.finding", "reflections.prompt_tasks", "feedback.tasks", "supervision.tasks",
    "learningsets.tasks",
]
# tenants.fan_out sends one message per this many organisations (each runs the task in them in turn).
FAN_OUT_BATCH = env.int("FAN_OUT_BATCH", default=25)
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    # Every minute, each active organisation records due prompts, relays unsent email and sends digests.
    "reflections-prompts": {"task": "tenants.fan_out", "schedule": 60.0, "args": ["reflections.prompts_dispatch"]},
    # Every five minutes, each active organisation closes due feedback rounds, opens scheduled pulses, sends the
    # content-free asks and the one reminder.
    "feedback-rounds": {"task": "tenants.fan_out", "schedule": 300.0, "args": ["feedback.rounds_tick"]},
    # Every five minutes, each active organisation sends tomorrow's supervision reminders (once each) and relays
    # session emails never queued.
    "supervision-tick": {"task": "tenants.fan_out", "schedule": 300.0, "args": ["supervision.tick"]},
    # Every five minutes, each active organisation keeps its sets' rhythms booked, sends tomorrow's set reminders
    # and report-back reminders (once each) and relays set emails never queued.
    "learningsets-tick": {"task": "tenants.fan_out", "schedule": 300.0, "args": ["learningsets.tick"]},
    # Every five minutes, each active organisation sends invitations whose email could not be queued (Redis down).
    "people-invitations-relay": {"task": "tenants.fan_out", "schedule": 300.0, "args": ["people.invitations_relay"]},
}
# Sign-up (tenants): ready spare schemas kept for instant sign-up, and optional operator approval.
SPARE_POOL_SIZE = env.int("SPARE_POOL_SIZE", default=3)
SIGNUP_REQUIRES_APPROVAL = env.bool("SIGNUP_REQUIRES_APPROVAL", default=False)
CELERY_BEAT_SCHEDULE["tenants-spare-pool-refill"] = {"task": "tenants.spare_pool_refill", "schedule": 300.0}

# --- Accounts
AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "people.validators.OrganisationSimilarityValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
# People added without an email address sign in with the username they chose with a join code (people.join_codes);
# nobody signs up with a username (allauth's own sign-up is closed; people.adapters keeps verification from
# asking for an email address someone does not have).
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_PRESERVE_USERNAME_CASING = False  # stored lower-case, like email addresses
ACCOUNT_FORMS = {"login": "people.join_forms.SignInForm", "change_password": "people.join_forms.ChangeOwnPasswordForm"}
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# Confirmation keys are random and stored in the organisation's own schema. allauth's default HMAC key only
# signs the address's id with the one SECRET_KEY, so a link made in one organisation would confirm whichever
# address has that id in another (tests/test_security_review.py).
ACCOUNT_EMAIL_CONFIRMATION_HMAC = False
# A fresh link confirms in one click without confirming on GET: the page sends its own POST once it is open in a
# browser (templates/account/email_confirm.html, static/js/confirm-email.js), so a link scanner confirms nothing
# and a GET still never writes. A link is fresh for three days and works once.
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_ADAPTER = "people.adapters.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Heartwood: "
# join_code: per address, and per organisation as a whole (the key is constant), so guessing codes stays hopeless.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/ip,5/5m/key", "find_organisation": "10/h/ip,3/h/key", "join_code": "10/10m/ip,100/h/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Heartwood"
USERSESSIONS_TRACK_ACTIVITY = True

# --- Cookies: host-only, so a cookie of one organisation is never sent to another.
SESSION_COOKIE_DOMAIN = None
CSRF_COOKIE_DOMAIN = None
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14

# --- Email
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Heartwood <hello@heartwood.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- I18N: UK English and time.
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

X_FRAME_OPTIONS = "DENY"


# --- Content Security Policy (django-csp): our own files, plus a per-request nonce for any inline block that must
# stay; no 'unsafe-inline' for scripts or styles, so inline `style="…"` attributes and `on…=` handlers are refused
# too (the templates use classes and static files instead). Emails are not pages: their inline styles are unaffected.
def content_security_policy(*, scheme: str, base_domain: str) -> dict:
    from csp.constants import NONCE, NONE, SELF

    return {
        "DIRECTIVES": {
            "default-src": [SELF],
            "script-src": [SELF, NONCE],
            "style-src": [SELF, NONCE],
            "img-src": [SELF, "data:"],  # the two-step sign-in QR code is a data: URI
            "font-src": [SELF],
            "connect-src": [SELF],
            "object-src": [NONE],
            "base-uri": [NONE],
            "frame-ancestors": [NONE],
            # Sign-up posts on the public site and is redirected to the new organisation's own host.
            "form-action": [SELF, f"{scheme}://*.{base_domain}:*"],
        }
    }


CONTENT_SECURITY_POLICY = content_security_policy(scheme=SITE_SCHEME, base_domain=BASE_DOMAIN)
# Powerful browser features Heartwood never uses are switched off for every page (django-permissions-policy).
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "bluetooth", "browsing-topics", "camera", "display-capture", "geolocation",
        "gyroscope", "hid", "idle-detection", "magnetometer", "microphone", "midi", "payment", "serial", "usb",
        "xr-spatial-tracking",
    )
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}},
}
