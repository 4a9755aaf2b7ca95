"""Local development: `make run`."""

from .local_services import use_embedded_services_when_unset

use_embedded_services_when_unset()

from .base import *  # noqa: E402, F403
from .base import env  # noqa: E402

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-never-use-in-production")
SITE_PORT = env("SITE_PORT", default="8000")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The local inbox: every email (web and worker) is kept under .local/mail/ and read at /inbox/ on the public
# site (config.inbox). Production never sets LOCAL_INBOX_DIR, so neither the backend nor the pages exist there.
LOCAL_INBOX_DIR = BASE_DIR / ".local" / "mail"  # noqa: F405
EMAIL_BACKEND = env("EMAIL_BACKEND", default="config.inbox.backend.InboxBackend")
# The living style page at /style/ on the public site (config.styleguide): every component with its markup.
STYLE_PAGE = True
