"""Links in emails carry opaque tokens: no schema name, no user id to decode, a lifetime, one organisation only.

Covers the one-click stop link in prompt emails (90 days) and the sign-up hand-over that signs a new
organisation's first admin in (one minute, once).
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.test import Client
from django.utils import timezone
from django_tenants.utils import tenant_context

from people.models import User
from reflections import prompt_delivery
from reflections.models import PromptDelivery, PromptFrequency, PromptSchedule
from tests.conftest import client_for, host, make_person

pytestmark = pytest.mark.django_db


def decodings(token: str) -> list[bytes]:
    """Everything the token could be made of: itself, and each part decoded as every base64 flavour (and
    decompressed, as django.core.signing compresses)."""
    found = [token.encode()]
    for part in re.split(r"[:.]", token):
        for decode in (base64.urlsafe_b64decode, base64.b64decode, base64.b32decode):
            for padding in ("", "=", "=="):
                try:
                    raw = decode(part.lstrip(".") + padding)
                except (binascii.Error, ValueError):
                    continue
                found.append(raw)
                try:
                    found.append(zlib.decompress(raw))
                except zlib.error:
                    pass
    return found


def assert_opaque(token: str, *, schema: str, user_id: int) -> None:
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token), token  # 32 random bytes, nothing else
    for raw in decodings(token):
        assert schema.encode() not in raw
        for shape in (f'"u":{user_id}', f'"u": {user_id}', f'"{user_id}"', f"user={user_id}", f"u{user_id}:"):
            assert shape.encode() not in raw


def stop_token_from_email(outbox: list) -> str:
    [message] = outbox
    match = re.search(r"/journal/prompts/stop/([^/\s>]+)/", message.body)
    assert match, message.body
    assert match[1] in message.extra_headers["List-Unsubscribe"]
    return match[1]


@pytest.fixture
def emailed(alpha):
    """A leader of alpha and the stop link token of the prompt email they were sent."""
    leader = make_person(alpha, ["leader"])
    with tenant_context(alpha):
        delivery = PromptDelivery.objects.create(
            user=leader, slot=timezone.now(), channel="email", email_status=PromptDelivery.EmailStatus.PENDING,
        )
        assert prompt_delivery.prompt_emails_send(delivery_ids=[delivery.pk], base_url="http://alpha.localhost") == (
            1, 0)
    return leader, delivery, stop_token_from_email(mail.outbox)


def test_the_stop_link_in_the_email_names_neither_the_organisation_nor_the_person(alpha, emailed):
    leader, delivery, token = emailed
    assert_opaque(token, schema=alpha.schema_name, user_id=leader.pk)
    with tenant_context(alpha):
        stored = PromptDelivery.objects.get(pk=delivery.pk).stop_token_hash
    assert stored and token not in stored and len(stored) == 64  # only the hash is kept
    page = client_for(alpha).get(f"/journal/prompts/stop/{token}/")
    assert page.status_code == 200 and leader.email in page.content.decode()


def test_each_email_has_its_own_link_and_an_earlier_one_keeps_working(alpha, emailed):
    leader, _, first = emailed
    with tenant_context(alpha):
        later = PromptDelivery.objects.create(user=leader, slot=timezone.now() + timedelta(days=7), channel="email")
        second = prompt_delivery.stop_token_save(later)
    assert second != first
    assert client_for(alpha).post(f"/journal/prompts/stop/{first}/").status_code == 200
    with tenant_context(alpha):
        assert PromptSchedule.objects.get(user=leader).frequency == PromptFrequency.OFF


def test_a_stop_link_older_than_its_lifetime_says_it_expired_and_points_to_the_settings(alpha, emailed):
    leader, delivery, token = emailed
    with tenant_context(alpha):
        PromptDelivery.objects.filter(pk=delivery.pk).update(
            created_at=timezone.now() - timedelta(days=prompt_delivery.STOP_LINK_DAYS, minutes=1)
        )
    client = client_for(alpha)
    for response in (client.get(f"/journal/prompts/stop/{token}/"), client.post(f"/journal/prompts/stop/{token}/")):
        assert response.status_code == 410
        page = response.content.decode()
        assert "This stop link has expired" in page and 'href="/journal/prompts/"' in page
        assert "90 days" in page
        assert leader.email not in page
    with tenant_context(alpha):
        assert not PromptSchedule.objects.filter(user=leader).exists()  # nothing stopped
    # Just inside its lifetime it still works.
    with tenant_context(alpha):
        PromptDelivery.objects.filter(pk=delivery.pk).update(
            created_at=timezone.now() - timedelta(days=prompt_delivery.STOP_LINK_DAYS - 1)
        )
    assert client.post(f"/journal/prompts/stop/{token}/").status_code == 200


def test_a_signed_stop_link_of_the_earlier_kind_says_it_expired(alpha, alpha_people):
    with tenant_context(alpha):
        old = signing.dumps({"u": alpha_people.leader.pk, "s": alpha.schema_name},
                            salt=prompt_delivery.UNSUBSCRIBE_SALT)
    response = client_for(alpha).post(f"/journal/prompts/stop/{old}/")
    assert response.status_code == 410 and "expired" in response.content.decode()
    with tenant_context(alpha):
        assert not PromptSchedule.objects.filter(user=alpha_people.leader).exists()


def test_a_stop_link_of_one_organisation_does_nothing_at_another(alpha, beta, emailed):
    leader, _, token = emailed
    other = make_person(beta, ["leader"])
    assert client_for(beta).post(f"/journal/prompts/stop/{token}/").status_code == 404
    assert client_for(beta).get(f"/journal/prompts/stop/{token}/").status_code == 404
    with tenant_context(beta):
        assert not PromptSchedule.objects.filter(user=other).exists()
    assert client_for(alpha).get(f"/journal/prompts/stop/{token[:-1]}x/").status_code == 404


def test_a_stop_link_of_someone_deactivated_finds_nobody(alpha, emailed):
    leader, _, token = emailed
    with tenant_context(alpha):
        User.objects.filter(pk=leader.pk).update(is_active=False)
    assert client_for(alpha).post(f"/journal/prompts/stop/{token}/").status_code == 404


# --- Sign-up hand-over


SIGN_UP = {
    "organisation_name": "Larch Lodge", "subdomain": "larch-lodge", "full_name": "Lee Ward",
    "email": "lee@larch.example", "password": "kind-hearted-lantern-73", "time_zone": "Europe/London", "terms": "on",
}


def test_the_sign_up_hand_over_token_names_neither_the_organisation_nor_the_admin():
    response = Client(HTTP_HOST=host()).post("/signup/", SIGN_UP)
    assert response.status_code == 302
    token = response["Location"].split("token=")[1]
    from tenants.models import Domain

    organisation = Domain.objects.get(domain=host("larch-lodge")).tenant
    with tenant_context(organisation):
        admin = User.objects.get(email="lee@larch.example")
    assert_opaque(token, schema=organisation.schema_name, user_id=admin.pk)
    assert "larch" not in token.lower()
    landed = Client(HTTP_HOST=host("larch-lodge")).get(f"/welcome/?token={token}")
    assert landed["Location"] == "/welcome/"


def test_the_assertion_catches_a_readable_token(alpha, alpha_people):
    with tenant_context(alpha):
        readable = signing.dumps({"u": alpha_people.leader.pk, "s": alpha.schema_name}, salt="x")
    # What the earlier stop links looked like: the decoding above finds the schema name and the user id in them.
    assert any(alpha.schema_name.encode() in raw for raw in decodings(readable))
    assert any(f'"u":{alpha_people.leader.pk}'.encode() in raw for raw in decodings(readable))
