"""Writes on organisations. Everything here runs in the public schema."""

from __future__ import annotations

import io
import json
import logging
import secrets
import time
import zipfile
from dataclasses import dataclass
from typing import IO

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_exists, tenant_context

from people.links import organisation_url
from people.models import Role, User
from people.services import user_create
from people.tokens import token_hash, token_new

from .models import Domain, Organisation

logger = logging.getLogger(__name__)


def new_schema_name() -> str:
    # Internal and never derived from user input: the subdomain lives only in the Domain row.
    return f"org_{secrets.token_hex(6)}"


def public_ensure() -> Organisation:
    """The public tenant (landing page, sign-up, operator console) and its domain."""
    public, _ = Organisation.objects.get_or_create(
        schema_name=settings.PUBLIC_SCHEMA_NAME,
        defaults={"name": "Heartwood", "kind": Organisation.Kind.PUBLIC},
    )
    Domain.objects.get_or_create(domain=settings.BASE_DOMAIN, defaults={"tenant": public, "is_primary": True})
    return public


def template_ensure() -> Organisation:
    """The migrated schema every new organisation is cloned from (TENANT_BASE_SCHEMA)."""
    template = Organisation.objects.filter(schema_name=settings.TENANT_BASE_SCHEMA).first()
    if template is None:
        template = Organisation(
            schema_name=settings.TENANT_BASE_SCHEMA, name="Template", kind=Organisation.Kind.TEMPLATE
        )
        template.save(verbosity=0)
    elif not schema_exists(template.schema_name):
        # The row survived but the schema did not (a reused test database): create it again.
        template.create_schema(check_if_exists=True, verbosity=0)
    return template


@transaction.atomic
def organisation_create(
    *, name: str, subdomain: str, time_zone: str = "Europe/London",
    status: str = Organisation.Status.ACTIVE,
) -> Organisation:
    """Create an organisation by cloning the template schema (no migrations run), with its domain."""
    organisation = Organisation(
        schema_name=new_schema_name(), name=name, time_zone=time_zone, status=status,
        kind=Organisation.Kind.ORGANISATION,
    )
    organisation.save(verbosity=0)
    Domain.objects.create(domain=f"{subdomain}.{settings.BASE_DOMAIN}", tenant=organisation, is_primary=True)
    return organisation


def organisation_subdomain(organisation: Organisation) -> str:
    domain = organisation.get_primary_domain()
    suffix = f".{settings.BASE_DOMAIN}"
    return domain.domain.removesuffix(suffix) if domain else ""


# --- Sign-up --------------------------------------------------------------------------------------------

# Hosts we may want for the platform itself, or that invite confusion or abuse. The subdomain rule (form)
# refuses these; uniqueness (the Domain row's unique index) takes care of everything already taken.
RESERVED_SUBDOMAINS = frozenset({
    "www", "admin", "api", "public", "static", "mail", "app",
    "accounts", "assets", "auth", "autoconfig", "autodiscover", "billing", "blog", "cdn", "console", "dashboard",
    "dev", "docs", "email", "ftp", "heartwood", "help", "imap", "login", "media", "ns1", "ns2", "operator",
    "operators", "pop", "root", "security", "signup", "smtp", "spare", "staging", "status", "support", "system",
    "template", "tenant", "tenant-template", "webmail",
})

# One number that names the pool refill in PostgreSQL's advisory locks, so two refills never overfill it.
_POOL_LOCK = 0x68772D706F6F6C  # "hw-pool"


class SubdomainTaken(Exception):
    """Someone else holds (or has just taken) this subdomain."""


@dataclass(frozen=True)
class SignUp:
    organisation: Organisation
    admin: User
    from_pool: bool


def spare_create() -> Organisation:
    """Clone the template into a new ready spare (no migrations run: the template is migrated)."""
    spare = Organisation(schema_name=new_schema_name(), name="", kind=Organisation.Kind.SPARE)
    spare.save(verbosity=0)
    return spare


def spare_pool_refill(*, size: int | None = None) -> int:
    """Top the pool of spares up to SPARE_POOL_SIZE; returns how many were made.

    Each spare is its own transaction holding an advisory lock, so a claim is never blocked by a refill and two
    refills running at once (beat + on-claim) cannot overfill the pool.
    """
    wanted = settings.SPARE_POOL_SIZE if size is None else size
    made = 0
    while True:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_POOL_LOCK])
                (locked,) = cursor.fetchone()
            if not locked or Organisation.objects.filter(kind=Organisation.Kind.SPARE).count() >= wanted:
                return made
            template_ensure()
            spare_create()
        made += 1


def spare_pool_refill_soon() -> None:
    """Queue a refill. Runs after the sign-up has committed, so a broker hiccup must not turn it into an error:
    beat's periodic refill catches up."""
    from .tasks import spare_pool_refill_task

    try:
        spare_pool_refill_task.delay()
    except Exception:
        logger.exception("Could not queue a spare pool refill; beat will refill it")


@transaction.atomic
def spare_claim(*, name: str, time_zone: str, status: str) -> Organisation | None:
    """Turn a ready spare into an organisation: one transaction, no DDL. None when the pool is empty."""
    spare = (
        Organisation.objects.select_for_update(skip_locked=True)
        .filter(kind=Organisation.Kind.SPARE).order_by("pk").first()
    )
    if spare is None:
        return None
    spare.name, spare.time_zone, spare.status = name, time_zone, status
    spare.kind = Organisation.Kind.ORGANISATION
    spare.created_at = timezone.now()  # it was born a spare; it is an organisation from now
    spare.save(update_fields=["name", "time_zone", "status", "kind", "created_at", "updated_at"])
    return spare


def organisation_sign_up(
    *, name: str, subdomain: str, full_name: str, email: str, password: str, time_zone: str,
) -> SignUp:
    """Create an organisation with its domain and first admin, all or nothing.

    A ready spare is claimed when there is one, else the template is cloned. The first admin is made inside the
    new schema in the same transaction, so any failure (including losing a race for the subdomain on the
    Domain row's unique index) rolls back the domain, the user, the claim, and a freshly cloned schema too:
    PostgreSQL DDL is transactional.
    """
    status = Organisation.Status.PENDING if settings.SIGNUP_REQUIRES_APPROVAL else Organisation.Status.ACTIVE
    try:
        with transaction.atomic():
            organisation = spare_claim(name=name, time_zone=time_zone, status=status)
            from_pool = organisation is not None
            if organisation is None:
                organisation = Organisation(
                    schema_name=new_schema_name(), name=name, time_zone=time_zone, status=status,
                    kind=Organisation.Kind.ORGANISATION,
                )
                organisation.save(verbosity=0)
            Domain.objects.create(
                domain=f"{subdomain.lower()}.{settings.BASE_DOMAIN}", tenant=organisation, is_primary=True
            )
            with tenant_context(organisation):
                admin = user_create(
                    email=email, full_name=full_name, roles=[Role.ADMIN, Role.LEADER], password=password,
                    verified=False,
                )
            transaction.on_commit(spare_pool_refill_soon)
    except IntegrityError as exc:
        connection.set_schema_to_public()
        if Domain.objects.filter(domain__iexact=f"{subdomain}.{settings.BASE_DOMAIN}").exists() or (
            "domain" in str(exc)
        ):
            raise SubdomainTaken(subdomain) from exc
        raise
    return SignUp(organisation=organisation, admin=admin, from_pool=from_pool)


def subdomain_available(subdomain: str) -> bool:
    return not Domain.objects.filter(domain__iexact=f"{subdomain}.{settings.BASE_DOMAIN}").exists()


# --- Moving between hosts signed in ------------------------------------------------------------------------

HANDOVER_MAX_AGE = 60


def _handover_key(token: str) -> str:
    return f"handover:{token_hash(token)}"


def handover_token(*, organisation: Organisation, user: User) -> str:
    """A random, short-lived, single-use token that signs `user` in at their organisation's host.

    Session cookies are host-only, so the public site cannot sign anyone in on `<sub>.<BASE_DOMAIN>` itself.
    The token is opaque (no schema name, no user id): only its hash is kept, for a minute, in Redis under the
    organisation's schema (cache keys carry it), so it means nothing at any other organisation.
    """
    token = token_new()[0]
    with tenant_context(organisation):
        cache.set(_handover_key(token), {"u": user.pk, "at": time.time()}, timeout=HANDOVER_MAX_AGE * 2)
    return token


def handover_redeem(*, token: str, organisation: Organisation) -> User | None:
    """The user a valid, unused token was made for, in this organisation (run inside its schema); else None."""
    with tenant_context(organisation):
        key = _handover_key(token)
        entry = cache.get(key)
        # DEL in Redis: only the first redemption wins, even when two requests race.
        if not isinstance(entry, dict) or not cache.delete(key):
            return None
        if time.time() - entry["at"] > HANDOVER_MAX_AGE:
            return None
        return User.objects.filter(pk=entry["u"], is_active=True).first()


# --- Operators ---------------------------------------------------------------------------------------------


def _only_organisations(organisation: Organisation) -> None:
    if organisation.kind != Organisation.Kind.ORGANISATION:
        raise ValueError(f"{organisation.schema_name} is not an organisation")


def organisation_admin_emails(organisation: Organisation) -> list[str]:
    with tenant_context(organisation):
        return list(
            User.objects.filter(roles__contains=[Role.ADMIN], is_active=True, email__isnull=False).order_by("pk")
            .values_list("email", flat=True)
        )


def _tell_admins(organisation: Organisation, subject: str, body: str) -> None:
    recipients = organisation_admin_emails(organisation)
    if recipients:
        send_mail(f"Heartwood: {subject}", body, None, recipients)


def organisation_approve(*, organisation: Organisation) -> Organisation:
    """Open a pending organisation, and tell its admins (after commit: never for a rolled-back approval)."""
    _only_organisations(organisation)
    organisation.status = Organisation.Status.ACTIVE
    organisation.save(update_fields=["status", "updated_at"])
    url = organisation_url(organisation, "/accounts/login/")
    transaction.on_commit(lambda: _tell_admins(
        organisation, f"{organisation.name} is ready",
        f"Good news: {organisation.name} is open on Heartwood.\n\nSign in at {url} to invite your people, "
        "pair leaders with mentors and start the course.\n",
    ))
    return organisation


@transaction.atomic
def organisation_decline(*, organisation: Organisation) -> None:
    """Remove a pending sign-up nobody has used yet (no export: nothing but its admin's account is in it)."""
    if organisation.status != Organisation.Status.PENDING:
        raise ValueError("only a pending organisation can be declined")
    name, recipients = organisation.name, organisation_admin_emails(organisation)
    organisation_delete(organisation=organisation)
    if recipients:
        body = (f"Thank you for signing {name} up to Heartwood. We're sorry: we can't open it at the moment, and "
                "its details have been removed. If you think this is a mistake, just reply to this email.\n")
        transaction.on_commit(lambda: send_mail(f"Heartwood: about {name}", body, None, recipients))


def organisation_suspend(*, organisation: Organisation) -> Organisation:
    """Members see a "suspended" page and cannot sign in; everything they made is kept."""
    _only_organisations(organisation)
    organisation.status = Organisation.Status.SUSPENDED
    organisation.save(update_fields=["status", "updated_at"])
    return organisation


def organisation_reactivate(*, organisation: Organisation) -> Organisation:
    _only_organisations(organisation)
    organisation.status = Organisation.Status.ACTIVE
    organisation.save(update_fields=["status", "updated_at"])
    return organisation


# Made by migrations, or secrets that must not travel (sessions, two-step sign-in keys): not exported.
EXPORT_SKIP = {
    "contenttypes.contenttype", "auth.permission", "sessions.session", "mfa.authenticator",
    # Where and from which IP address people signed in, and pending email confirmation keys.
    "usersessions.usersession", "account.emailconfirmation",
}


def _is_private(label: str) -> bool:
    """Personal writing (settings.PRIVATE_TO_EACH_PERSON: app or model labels) never passes through the
    platform's hands: each person exports their own journal."""
    app_label = label.split(".")[0]
    return label in settings.PRIVATE_TO_EACH_PERSON or app_label in settings.PRIVATE_TO_EACH_PERSON
# Fields left out of an export: password hashes stay behind too.
EXPORT_SECRET_FIELDS = {"password"}


def organisation_export(*, organisation: Organisation, into: IO[bytes]) -> dict[str, int]:
    """Write a ZIP of every table of the organisation's schema (one JSON file per model) into `into`.

    Generic on purpose: it walks the models of TENANT_APPS, so it knows nothing of what any app stores. It
    leaves out what is private to each person (settings.PRIVATE_TO_EACH_PERSON: journals, conversations,
    self-check answers, feedback), counting those rows only. Returns the row count per exported model.
    """
    _only_organisations(organisation)
    counts: dict[str, int] = {}
    private: dict[str, int] = {}
    serializer_class = serializers.get_serializer("json")
    with zipfile.ZipFile(into, "w", compression=zipfile.ZIP_DEFLATED) as archive, tenant_context(organisation):
        for app_config in apps.get_app_configs():
            if app_config.name not in settings.TENANT_APPS:
                continue
            for model in app_config.get_models():
                label = model._meta.label_lower
                if label in EXPORT_SKIP or model._meta.proxy or not model._meta.managed:
                    continue
                if _is_private(label):
                    private[label] = model._base_manager.count()
                    continue
                rows = model._base_manager.order_by("pk")
                counts[label] = rows.count()
                fields = [
                    f.name for f in [*model._meta.local_fields, *model._meta.local_many_to_many]
                    if not f.primary_key and f.name not in EXPORT_SECRET_FIELDS
                ]
                with archive.open(f"{label}.json", "w") as raw:
                    text = io.TextIOWrapper(raw, encoding="utf-8")
                    serializer_class().serialize(rows.iterator(chunk_size=2000), stream=text, indent=1, fields=fields)
                    text.flush()
                    text.detach()
        manifest = {
            "organisation": organisation.name,
            "subdomain": organisation_subdomain(organisation),
            "exported_at": timezone.now().isoformat(),
            "rows": counts,
            "private_not_exported": private,
            "note": "Journals, conversations, self-check answers and feedback (pulse and 360 answers and results) "
            "belong to the people who wrote or asked for them and are not in this export; everyone can download "
            "their own journal at /journal/account/ before the organisation goes.",
        }
        archive.writestr("manifest.json", json.dumps(manifest, indent=1))
    return counts


@transaction.atomic
def organisation_delete(*, organisation: Organisation) -> None:
    """Drop the organisation's schema with everything in it, and its rows. Export first."""
    _only_organisations(organisation)
    with connection.cursor() as cursor:
        # Deferred foreign-key checks of rows written earlier in this transaction would block DROP SCHEMA.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    organisation.delete(force_drop=True)
