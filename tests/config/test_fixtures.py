"""The committed-data fixture leaves the test organisations as new organisations start: with the shipped
curriculum and prompts, and with sequences that still hand out fresh ids."""

from django_tenants.utils import tenant_context

from courses.models import Lesson, Module, Programme
from reflections.models import Prompt
from tests.conftest import make_person


def test_a_committed_data_test_writes_something(live_db, alpha):
    make_person(alpha, ["leader"])


def test_b_shipped_content_is_back_afterwards(db, alpha):
    with tenant_context(alpha):
        assert Programme.objects.filter(source="shipped").count() == 1
        assert Module.objects.count() == 9
        assert Prompt.objects.count() >= 70
        module = Module.objects.first()
        lesson = Lesson.objects.create(module=module, slug="new-one", title="New", body="Body", source="organisation")
        assert lesson.pk > Lesson.objects.exclude(pk=lesson.pk).order_by("-pk").first().pk
