"""Kernel tables with no business meaning of their own: number counters and idempotency keys."""

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
