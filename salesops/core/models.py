"""Kernel tables with no business meaning of their own: number counters, idempotency keys and
background import jobs."""

import uuid

from django.conf import settings
from django.db import models
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


class ImportJobState(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class ImportJobQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ImportJobQuerySet":
        """A user's own jobs; every job for the admin role; none for anybody else."""
        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        if user.has_role("admin"):
            return self
        return self.filter(user=user)


def import_upload_path(instance: "ImportJob", filename: str) -> str:
    """A generated name outside the web root: the user's file name is never used (RELIABILITY (c) 8)."""
    return f"imports/{uuid.uuid4().hex}.xlsx"


class ImportJob(models.Model):
    """An Excel import (导入任务) run in the background (issue 7, item 4).

    The upload is stored and a Huey task imports it, all rows or none; ``state`` moves only
    through ``core.services`` (queued -> running -> done or failed). ``errors`` holds the rows'
    problems as ``[{"row", "column", "message"}]``, ``message`` why the job failed.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    kind = models.CharField(_("kind"), max_length=40)
    file = models.FileField(_("file"), upload_to=import_upload_path, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=ImportJobState.choices, default=ImportJobState.QUEUED, editable=False
    )
    rows_total = models.PositiveIntegerField(_("rows in the file"), default=0)
    rows_done = models.PositiveIntegerField(_("rows imported"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    message = models.TextField(_("result"), blank=True)
    # The uploader's UI language: the worker writes the errors and the outcome in it.
    language = models.CharField(_("language"), max_length=10, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        indexes = [models.Index(fields=["state", "created_at"], name="core_importjob_state_idx")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("jobs:import-job-detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.state in (ImportJobState.DONE, ImportJobState.FAILED)
