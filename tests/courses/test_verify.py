"""Certificate references and the public verification page on each organisation's own host."""

from __future__ import annotations

import re

from django.core.cache import cache
from django.utils import timezone
from django_tenants.utils import tenant_context

from courses import services
from courses.models import Lesson, ModuleCompletion
from courses.verify import RATE_LIMITS
from tests.conftest import client_for, make_person
from tests.courses.conftest import complete_after_reading


def _complete_welcome(org, name: str) -> ModuleCompletion:
    person = make_person(org, ["leader"], name=name)
    with tenant_context(org):
        for lesson in Lesson.objects.filter(module__slug="welcome"):
            complete_after_reading(person, lesson)
        return ModuleCompletion.objects.select_related("module", "user").get(user=person)


def _text(response) -> str:
    return " ".join(response.content.decode().split())


def test_a_reference_is_random_and_says_nothing_about_the_organisation_or_ids(loaded, alpha):
    completion = _complete_welcome(alpha, "Rhiannon Pryce")
    reference = completion.reference
    assert re.fullmatch(r"HW-[A-Z2-7]{10}", reference)
    for revealing in (alpha.schema_name.upper(), str(completion.pk), str(completion.user_id)):
        assert revealing not in reference[3:]
    made = {services.certificate_reference_new() for _ in range(2000)}
    assert len(made) == 2000  # no repeats in a couple of thousand


def test_anyone_can_check_a_reference_and_sees_only_what_it_certifies(loaded, alpha):
    cache.clear()
    completion = _complete_welcome(alpha, "Rhiannon Pryce")
    anyone = client_for(alpha)  # not signed in
    response = anyone.get(f"/verify/{completion.reference}/")
    assert response.status_code == 200
    text = _text(response)
    assert "This certificate is real" in text
    assert "Rhiannon Pryce" in text and "Welcome" in text and "Alpha Care" in text
    assert f"{timezone.localtime(completion.completed_at):%-d %B %Y}" in text
    assert f"CPD minutes</dt><dd>{completion.cpd_minutes}</dd>" in text
    assert completion.user.email not in text  # nothing more than what the certificate says
    # Typed from paper: lower case, spaces, the prefix left off; the form sends it to the same page.
    typed = completion.reference[3:].lower()
    response = anyone.get("/verify/", {"reference": f"{typed[:5]} {typed[5:]}"})
    assert response.status_code == 302 and response["Location"] == f"/verify/{completion.reference}/"
    assert anyone.get("/verify/").status_code == 200
    # Only looked at, never posted to.
    assert anyone.post(f"/verify/{completion.reference}/").status_code == 405


def test_an_unknown_reference_and_another_organisations_reference_are_not_found(loaded, alpha, beta):
    cache.clear()
    with tenant_context(beta):
        from courses.loader import curriculum_sync
        from courses.models import Programme

        Programme.objects.all().delete()
        curriculum_sync(loaded)
    theirs = _complete_welcome(beta, "Bea Elsewhere")
    at_alpha = client_for(alpha)
    for reference in (theirs.reference, "HW-AAAAAAAAAA", "not-a-reference"):
        response = at_alpha.get(f"/verify/{reference}/")
        assert response.status_code == 404, reference
        assert "No certificate found" in _text(response) and "Bea Elsewhere" not in _text(response)
    # At its own organisation the same reference is found.
    response = client_for(beta).get(f"/verify/{theirs.reference}/")
    assert response.status_code == 200 and "Bea Elsewhere" in _text(response)


def test_checking_is_rate_limited(loaded, alpha):
    cache.clear()
    completion = _complete_welcome(alpha, "Rhiannon Pryce")
    limit = int(RATE_LIMITS["verify_certificate"].split("/")[0])
    anyone = client_for(alpha)
    for n in range(limit):
        assert anyone.get(f"/verify/HW-{'A' * 9}{'BCDEFGHIJKLMNOPQRSTUVWXYZ2'[n % 26]}/").status_code == 404
    response = anyone.get(f"/verify/{completion.reference}/")
    assert response.status_code == 429
    assert "Please wait a few minutes" in _text(response) and "Rhiannon Pryce" not in _text(response)
    cache.clear()
    assert anyone.get(f"/verify/{completion.reference}/").status_code == 200
