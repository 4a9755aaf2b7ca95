"""The two small views bench/routing.py measures: the same code in every setup (a helper, not a benchmark)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest, HttpResponse
from django.urls import path

# django_content_type exists, with rows, in the public schema and in every organisation's schema.


def _lookups(count: int) -> HttpResponse:
    names = [ContentType.objects.filter(pk=pk).values_list("model", flat=True).first() for pk in range(1, count + 1)]
    return HttpResponse(",".join(str(n) for n in names), content_type="text/plain")


def one_query(request: HttpRequest) -> HttpResponse:
    return _lookups(1)


def five_queries(request: HttpRequest) -> HttpResponse:
    return _lookups(5)


urlpatterns = [
    path("bench/one/", one_query),
    path("bench/five/", five_queries),
]
