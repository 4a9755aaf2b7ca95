from django.conf import settings
from django.http import HttpRequest

from people.links import public_url


def organisation(request: HttpRequest) -> dict[str, object]:
    tenant = getattr(request, "tenant", None)
    is_public = tenant is None or tenant.schema_name == settings.PUBLIC_SCHEMA_NAME
    return {
        "organisation": None if is_public else tenant,
        "is_public_site": is_public,
        "public_site_url": public_url("/"),
    }
