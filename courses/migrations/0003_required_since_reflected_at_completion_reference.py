import secrets

from django.db import migrations, models
from django.db.models import Min

# The alphabet of RFC 4648 base32: no 0/O or 1/I to misread on paper. Kept here rather than imported, so this
# migration means the same thing whatever courses.services becomes.
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def fill(apps, schema_editor):
    Module = apps.get_model("courses", "Module")
    ModuleCompletion = apps.get_model("courses", "ModuleCompletion")
    LessonProgress = apps.get_model("courses", "LessonProgress")
    # The best date known for a module already required: when its settings last changed.
    for module in Module.objects.filter(is_required=True, required_since__isnull=True):
        Module.objects.filter(pk=module.pk).update(required_since=module.updated_at)
    firsts = {
        (row["user_id"], row["module_id"]): row["first"]
        for row in LessonProgress.objects.values("user_id", "module_id").annotate(first=Min("opened_at"))
    }
    used = set()
    for completion in ModuleCompletion.objects.filter(reference__isnull=True):
        reference = ""
        while not reference or reference in used:
            reference = "HW-" + "".join(secrets.choice(ALPHABET) for _ in range(10))
        used.add(reference)
        completion.reference = reference
        completion.started_at = firsts.get((completion.user_id, completion.module_id))
        completion.save(update_fields=["reference", "started_at"])


class Migration(migrations.Migration):

    dependencies = [
        ("courses", "0002_module_self_check_lessonprogress_modulecompletion_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name="module",
            name="required_since",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="lessonprogress",
            name="reflected_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="modulecompletion",
            name="started_at",
            field=models.DateTimeField(blank=True, help_text="When the first lesson was opened.", null=True),
        ),
        migrations.AddField(
            model_name="modulecompletion",
            name="reference",
            field=models.CharField(max_length=20, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="modulecompletion",
            name="reference",
            field=models.CharField(max_length=20, unique=True),
        ),
    ]
