"""Absolute URLs between the public site and organisation sites."""

from django.conf import settings


def _host(subdomain: str | None) -> str:
    host = f"{subdomain}.{settings.BASE_DOMAIN}" if subdomain else settings.BASE_DOMAIN
    return f"{host}:{settings.SITE_PORT}" if settings.SITE_PORT else host


def public_url(path: str = "/") -> str:
    return f"{settings.SITE_SCHEME}://{_host(None)}{path}"


def organisation_url(subdomain: str, path: str = "/") -> str:
    return f"{settings.SITE_SCHEME}://{_host(subdomain)}{path}"
