# The import job becomes the background job of imports and exports (issue 7, item 4): renamed,
# with the operation, an export's parameters, the "expired" state and when its task was last
# queued (the sweep queues a lost task again only after JOB_REQUEUE_SECONDS since then).

import django.utils.timezone
import salesops.core.models
from django.db import migrations, models


def enqueued_when_created(apps, schema_editor):
    Job = apps.get_model("core", "Job")
    Job.objects.update(enqueued_at=models.F("created_at"))


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0005_import_job"),
    ]

    operations = [
        migrations.RenameModel(old_name="ImportJob", new_name="Job"),
        migrations.AlterModelOptions(
            name="job",
            options={"verbose_name": "background job", "verbose_name_plural": "background jobs"},
        ),
        migrations.RenameIndex(model_name="job", new_name="core_job_state_idx", old_name="core_importjob_state_idx"),
        migrations.AddField(
            model_name="job",
            name="operation",
            field=models.CharField(
                choices=[("import", "Import"), ("export", "Export")],
                default="import",
                editable=False,
                max_length=10,
                verbose_name="action",
            ),
        ),
        migrations.AddField(
            model_name="job",
            name="params",
            field=models.JSONField(blank=True, default=dict, verbose_name="filters"),
        ),
        migrations.AddField(
            model_name="job",
            name="enqueued_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="queued at"),
        ),
        migrations.RunPython(enqueued_when_created, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="job",
            name="file",
            field=models.FileField(blank=True, upload_to=salesops.core.models.job_file_path, verbose_name="file"),
        ),
        migrations.AlterField(
            model_name="job",
            name="state",
            field=models.CharField(
                choices=[
                    ("queued", "queued"),
                    ("running", "running"),
                    ("done", "done"),
                    ("failed", "failed"),
                    ("expired", "expired"),
                ],
                default="queued",
                editable=False,
                max_length=10,
                verbose_name="state",
            ),
        ),
        migrations.AlterField(
            model_name="job",
            name="rows_done",
            field=models.PositiveIntegerField(default=0, verbose_name="rows written"),
        ),
    ]
