"""The committed-data fixture (`live_db`) leaves the test organisations as new organisations start: no people,
the shipped curriculum and prompts exactly as the template holds them, and sequences that still hand out fresh
ids. One test, so it does not depend on the order tests run in: it writes, cleans up as the fixture does, and looks."""

from django.conf import settings
from django_tenants.utils import schema_context, tenant_context

from courses.models import Lesson, Module, Programme
from people.models import User
from reflections.models import Prompt
from tests.conftest import _truncate_tenant_data, make_person

SHIPPED = [Programme, Module, Lesson, Prompt]


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in SHIPPED}


def test_committed_data_is_cleaned_back_to_what_a_new_organisation_starts_with(live_db, alpha):
    with schema_context(settings.TENANT_BASE_SCHEMA):
        template = _counts()
    assert template["Module"] >= 9 and template["Prompt"] >= 100  # the template really holds the curriculum
    make_person(alpha, ["leader"])
    with tenant_context(alpha):
        module = Module.objects.first()
        Lesson.objects.create(module=module, slug="written-by-a-test", title="New", body="Body", source="organisation")
        Prompt.objects.filter(source="shipped").delete()
        assert _counts() != template

    _truncate_tenant_data()  # what `live_db` does around every committed-data test

    with tenant_context(alpha):
        assert not User.objects.exists()
        assert _counts() == template
        assert not Lesson.objects.filter(slug="written-by-a-test").exists()
        newest = Lesson.objects.order_by("-pk").first()
        lesson = Lesson.objects.create(module=newest.module, slug="new-one", title="New", body="Body",
                                       source="organisation")
        assert lesson.pk > newest.pk
