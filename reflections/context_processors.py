"""The count of new things beside "Journal" and "Mentoring" in the navigation (`nav_news`), read on each page
load (no polling). Lazy: a page that draws no navigation asks nothing."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .selectors.news import NewsCounts, news_counts
from .selectors.visibility import real_user


def _counts(request: HttpRequest) -> NewsCounts:
    tenant = getattr(request, "tenant", None)
    user = getattr(request, "user", None)
    if tenant is None or tenant.schema_name == settings.PUBLIC_SCHEMA_NAME or not real_user(user):
        return NewsCounts()
    home_news = getattr(user, "_home_news", None)  # the home page has just read it (reflections.home_sections)
    if home_news is not None:
        return NewsCounts(journal=home_news.journal_count, mentoring=home_news.mentoring_count)
    return news_counts(user)


def news(request: HttpRequest) -> dict[str, object]:
    return {"nav_news": SimpleLazyObject(lambda: _counts(request))}
