from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .health import check_all


def landing(request: HttpRequest) -> HttpResponse:
    return render(request, "tenants/landing.html")


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    checks = check_all()
    ok = all(check["ok"] for check in checks.values())
    return JsonResponse({"ok": ok, "checks": checks, "schema": connection.schema_name}, status=200 if ok else 503)
