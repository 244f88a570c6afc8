"""Kernel tables with no business meaning of their own: number counters, idempotency keys and
background jobs (imports and exports)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NumberSequence(models.Model):
    """Counter row per (prefix, month); locked in the creator's transaction so numbers are gapless."""

    prefix = models.CharField(_("prefix"), max_length=12)
    period = models.CharField(_("period"), max_length=6, help_text=_("YYYYMM"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")
        constraints = [models.UniqueConstraint(fields=["prefix", "period"], name="core_numbersequence_unique")]

    def __str__(self) -> str:
        return f"{self.prefix}{self.period}: {self.last}"


class IdempotencyRecord(models.Model):
    """A replayed API POST with the same Idempotency-Key returns the first answer (RELIABILITY.md).

    A key belongs to one user and one operation (method and path): the same key on another
    operation is refused, never answered with the first operation's answer (issue 7, item 5).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    key = models.CharField(_("idempotency key"), max_length=200)
    # "action" (操作): the catalog's word for an operation; the label reads the same in Chinese.
    operation = models.CharField(_("action"), max_length=255, default="")
    request_hash = models.CharField(_("request digest"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("status code"), default=0)
    response_body = models.TextField(_("response"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="core_idempotency_unique")]

    def __str__(self) -> str:
        return self.key


class JobState(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")
    # An export's file was removed after EXPORT_JOB_KEEP_SECONDS.
    EXPIRED = "expired", _("expired")


FINISHED_STATES = (JobState.DONE, JobState.FAILED, JobState.EXPIRED)


class JobOperation(models.TextChoices):
    IMPORT = "import", _("Import")
    EXPORT = "export", _("Export")
    BATCH = "batch", _("Batch run")


class JobQuerySet(models.QuerySet):
    def visible_to(self, user) -> "JobQuerySet":
        """A user's own jobs only: an export's file holds the rows of its requester's scope, and nobody
        else (not the admin either) reads it through the app; the admin lists every job in the admin site."""
        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        return self.filter(user=user)


def import_upload_path(instance: "Job", filename: str) -> str:
    """A generated name outside the web root: the user's file name is never used (RELIABILITY (c) 8)."""
    return f"imports/{uuid.uuid4().hex}.xlsx"


def job_file_path(instance: "Job", filename: str) -> str:
    """An import's upload under ``imports/``, an export's workbook under ``exports/`` (MEDIA_ROOT, in
    the data directory), each under a generated name."""
    folder = "exports" if instance.operation == JobOperation.EXPORT else "imports"
    return f"{folder}/{uuid.uuid4().hex}.xlsx"


class Job(models.Model):
    """A background import or export (导入/导出任务), issue 7 item 4.

    An import stores its upload in ``file`` and a Huey task writes the rows, all or none; an export
    is the requester's list (the same selector, scope and filters as the page, ``params``) written
    by a Huey task to ``file``, downloadable by the requester only until it expires. ``state`` moves
    only through ``core.services`` (queued -> running -> done or failed; an export's done -> expired).
    ``errors`` holds an import's row problems as ``[{"row", "column", "message"}]``, ``message`` why
    the job failed. ``enqueued_at`` is when its task was last queued (the sweep queues a lost one again).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    operation = models.CharField(
        _("action"), max_length=10, choices=JobOperation.choices, default=JobOperation.IMPORT, editable=False
    )
    kind = models.CharField(_("kind"), max_length=40)
    # An export's parameters: the list's query string (search, filters, sort) and the like.
    params = models.JSONField(_("filters"), default=dict, blank=True)
    file = models.FileField(_("file"), upload_to=job_file_path, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=JobState.choices, default=JobState.QUEUED, editable=False
    )
    rows_total = models.PositiveIntegerField(_("rows in the file"), default=0)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    message = models.TextField(_("result"), blank=True)
    # The requester's UI language: the worker writes the errors and the outcome in it.
    language = models.CharField(_("language"), max_length=10, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    enqueued_at = models.DateTimeField(_("queued at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        indexes = [models.Index(fields=["state", "created_at"], name="core_job_state_idx")]

    def __str__(self) -> str:
        return f"{self.operation} {self.kind} #{self.pk}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse(f"jobs:{self.operation}-job-detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.state in FINISHED_STATES
