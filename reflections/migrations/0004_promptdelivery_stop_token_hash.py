from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("reflections", "0003_prompt_delivery"),
    ]

    operations = [
        migrations.AddField(
            model_name="promptdelivery",
            name="stop_token_hash",
            field=models.CharField(blank=True, editable=False, max_length=64, null=True, unique=True),
        ),
    ]
