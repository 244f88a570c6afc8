"""The document kernel's tables: the ``Document`` base every document type inherits,
approval policies and the per-document approval chain, the append-only audit
trail, attachments, comments and notifications.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesops.core.pdf import COLOUR, FormCopy
from salesops.org.roles import Role
from salesops.org.scoping import scope_q


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user) -> "DocumentQuerySet":
        return self.filter(scope_q(user, see_all=self.model.SEE_ALL_ROLES))


# Set while the kernel's transition saves the row it locked (versioned_write writes through a
# versioned UPDATE, creation through document_create): an existing document or flow record
# saved by anything else is a second write path, refused at once.
_kernel_writing: ContextVar[bool] = ContextVar("kernel_writing", default=False)


@contextmanager
def kernel_write() -> Iterator[None]:
    """Let the kernel save an existing document or flow record (the one write path, issue 6)."""
    token = _kernel_writing.set(True)
    try:
        yield
    finally:
        _kernel_writing.reset(token)


def _refuse_outside_kernel(row: models.Model) -> None:
    if not row._state.adding and not _kernel_writing.get():
        raise RuntimeError(
            f"{type(row).__name__} {row.pk} is saved only through workflow.services "
            "(transition(values=...), document_update / versioned_write): one write, one audit event"
        )


class Document(models.Model):
    """Base of every numbered document: number, state, owner, branch, version, void reason.

    ``state`` is changed only by ``workflow.services.transition``; ``number`` is
    assigned once, gapless per prefix and month (``core.numbering``).
    """

    NUMBER_PREFIX: ClassVar[str] = ""
    # Step roles that see every document of this type (besides leadership and admin).
    SEE_ALL_ROLES: ClassVar[frozenset[str]] = frozenset()

    number = models.CharField(_("number"), max_length=24, unique=True, editable=False)
    state = models.CharField(_("state"), max_length=24, editable=False, db_index=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    branch = models.ForeignKey("org.Branch", on_delete=models.PROTECT, related_name="+", verbose_name=_("branch"))
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    void_reason = models.TextField(_("void reason"), blank=True, editable=False)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.number

    def save(self, *args, **kwargs):
        _refuse_outside_kernel(self)
        super().save(*args, **kwargs)

    @classmethod
    def doc_type(cls) -> str:
        return cls._meta.label_lower

    def approval_amount(self) -> Decimal | None:
        """Amount compared with the major threshold; None when the type has none."""
        return None

    def approval_flags(self) -> set[str]:
        """Flags that switch on flagged approval steps (non_standard, deviation, ...)."""
        return set()

    def excluded_approver_ids(self) -> set[int]:
        """People who may not decide this document's approvals (two people: whoever wrote it never
        decides it): its owner, and anyone else who edited it (an administrator correcting the
        lines). A type may name others (whoever wrote a quotation's prices); the chain routes past
        them. One query, and none for a document never written since its creation."""
        editors = getattr(self, "_editor_ids", None)
        if editors is None:
            editors = _editors_of(type(self), [self.pk] if self.version > 1 else []).get(self.pk, set())
        return {self.owner_id, *editors}

    @classmethod
    def load_approval_context(cls, docs: list["Document"]) -> None:
        """Read what ``excluded_approver_ids`` needs for many documents at once (My tasks lists
        many): one query for the type, instead of one per document."""
        editors = _editors_of(cls, [doc.pk for doc in docs if doc.version > 1])
        for doc in docs:
            doc._editor_ids = editors.get(doc.pk, set())  # type: ignore[attr-defined]

    def task_summary(self) -> str:
        """One line for the approver (My tasks, notifications): customer, amount, why it needs approval."""
        return ""


class FlowRecord(models.Model):
    """Base of a flow-driven row that is not a numbered document (a support request, the monthly
    contract register): ``state`` (``editable=False``), ``version`` and ``updated_at``.

    Like a document, its ``state`` changes only through ``workflow.services.transition`` (with the
    fields that go with the change, in the same save and the same audit event). It has no number,
    owner or approval chain: the subclass's queryset provides ``visible_to(user)``, and the audit
    event is labelled by the row's ``code`` when it has one.
    """

    state = models.CharField(_("state"), max_length=24, editable=False, db_index=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        _refuse_outside_kernel(self)
        super().save(*args, **kwargs)


def _editors_of(model: type, ids: list[int]) -> dict[int, set[int]]:
    """Who edited each of the documents ``ids`` of ``model``, from their ``edit`` events."""
    found: dict[int, set[int]] = {}
    if not ids:
        return found
    events = DocumentEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id__in=ids, action="edit"
    ).exclude(actor=None)
    for object_id, actor_id in events.values_list("object_id", "actor_id").distinct():
        found.setdefault(object_id, set()).add(actor_id)
    return found


class StepCondition(models.TextChoices):
    ALWAYS = "always", _("always")
    MAJOR = "major", _("when major (amount at or above the threshold)")
    FLAG = "flag", _("when the document carries the flag")


class ApprovalRule(models.Model):
    """One step of an approval policy: which role approves a document type, when, in which order.

    Rules are read when a document is submitted; the resulting chain is copied to
    ``ApprovalStep`` rows, so a later policy change does not alter requests in flight.
    """

    doc_type = models.CharField(_("document type"), max_length=60, db_index=True)
    sequence = models.PositiveSmallIntegerField(_("order"))
    role = models.CharField(_("approver role"), max_length=20, choices=Role.choices)
    condition = models.CharField(
        _("condition"), max_length=10, choices=StepCondition.choices, default=StepCondition.ALWAYS
    )
    flag = models.CharField(_("flag"), max_length=40, blank=True)
    branch = models.ForeignKey(
        "org.Branch",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("only for branch"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("approval rule")
        verbose_name_plural = _("approval rules")
        ordering = ["doc_type", "sequence"]

    def __str__(self) -> str:
        return f"{self.doc_type} #{self.sequence} {self.get_role_display()}"


class PrintCopy(models.Model):
    """One copy (联) of a multi-part printed form as the company prints it, e.g. 第二联 仓库联 (红).

    A document type's copies are its rows in ``position`` order; a type without rows prints the
    copies it declares (``register_document(print_copies=...)``), so the defaults hold until the
    company changes them (``workflow.printing``).
    """

    doc_type = models.CharField(_("document type"), max_length=60, db_index=True)
    position = models.PositiveSmallIntegerField(_("order"), validators=[MinValueValidator(1)])
    name = models.CharField(_("copy name"), max_length=20)
    purpose = models.CharField(_("purpose"), max_length=20)
    colour_label = models.CharField(_("paper colour"), max_length=10)
    colour = models.CharField(
        _("mark colour"),
        max_length=7,
        validators=[RegexValidator(COLOUR, _("Give the colour as #RRGGBB, e.g. #c62828."))],
    )

    class Meta:
        verbose_name = _("printed copy")
        verbose_name_plural = _("printed copies")
        ordering = ["doc_type", "position"]
        constraints = [models.UniqueConstraint(fields=["doc_type", "position"], name="workflow_printcopy_position")]

    def __str__(self) -> str:
        return f"{self.doc_type} {self.name} {self.purpose}"

    def as_form_copy(self) -> FormCopy:
        return FormCopy(self.name, self.purpose, self.colour_label, self.colour, self.position)


class OnDocument(models.Model):
    """A row about one document of any type (approval step, event, attachment, comment)."""

    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("document type")
    )
    object_id = models.PositiveBigIntegerField(_("document id"))
    document = GenericForeignKey("content_type", "object_id")

    class Meta:
        abstract = True


# What the flags that switch on flagged approval steps mean (Document.approval_flags).
FLAG_LABELS = {
    "deviation": _("deviates from the quotation"),
    "non_standard": _("non-standard price or terms (R4)"),
    "major": _("major"),
    "review": _("review of a finding"),
    "appeal": _("appeal"),
}


class StepStatus(models.TextChoices):
    WAITING = "waiting", _("waiting")
    PENDING = "pending", _("pending")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    CANCELLED = "cancelled", _("cancelled")


class ApprovalStep(OnDocument):
    """One approval a document needs, copied from the policy at submission."""

    round = models.PositiveSmallIntegerField(_("round"), default=1)
    sequence = models.PositiveSmallIntegerField(_("order"))
    role = models.CharField(_("approver role"), max_length=20, choices=Role.choices)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approver"),
    )
    reason = models.CharField(_("why needed"), max_length=60, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=StepStatus.choices, default=StepStatus.WAITING)
    pending_since = models.DateTimeField(_("waiting since"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    # Set when the chain is written: no step of its round waits after this one, so approving it
    # approves the document (False on steps written before the flag existed: the chain is read).
    last_in_round = models.BooleanField(_("last of its round"), default=False, editable=False)

    class Meta:
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")
        ordering = ["content_type", "object_id", "round", "sequence"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="workflow_step_doc"),
            models.Index(fields=["status", "role"], name="workflow_step_open"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} ({self.get_status_display()})"

    @property
    def reason_label(self) -> str:
        """Why the step is in the chain, for people: "major", or what the flag means."""
        if self.reason.startswith("flag:"):
            flag = self.reason.split(":", 1)[1]
            return str(FLAG_LABELS.get(flag, flag))
        if self.reason == StepCondition.MAJOR:
            return str(_("major"))
        return ""

    def can_decide(self, user) -> bool:
        if self.status != StepStatus.PENDING or not user.is_authenticated:
            return False
        if self.approver_id:
            return self.approver_id == user.pk
        return self.role in user.roles


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError(f"{self.model.__name__} rows are append-only")

    def delete(self):
        raise TypeError(f"{self.model.__name__} rows are append-only")


class AppendOnly(models.Model):
    """A row written once, never changed or deleted by the application (the audit trail, the
    penalty ledger): its model and queryset refuse update and delete."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError(f"{type(self).__name__} rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError(f"{type(self).__name__} rows are append-only")


# Audit events held back to be written in one INSERT (``workflow.services.events_together``).
held_events: ContextVar[list["DocumentEvent"] | None] = ContextVar("held_events", default=None)


def write_held_events() -> None:
    """Write the events held so far (a read of the trail sees them: ``EventManager``)."""
    held = held_events.get()
    if held:
        rows = held[:]
        held.clear()
        DocumentEvent._base_manager.bulk_create(rows)


class EventManager(models.Manager.from_queryset(AppendOnlyQuerySet)):  # type: ignore[misc]
    def get_queryset(self) -> AppendOnlyQuerySet:
        write_held_events()
        return super().get_queryset()


class DocumentEvent(AppendOnly, OnDocument):
    """Audit trail entry: who did what to which document, when, and what changed.

    Append-only: the model refuses update and delete, and a database trigger
    refuses UPDATE and DELETE on the table (migration 0002).
    """

    number = models.CharField(_("number"), max_length=24, blank=True)
    action = models.CharField(_("action"), max_length=40)
    from_state = models.CharField(_("from state"), max_length=24, blank=True)
    to_state = models.CharField(_("to state"), max_length=24, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    comment = models.TextField(_("comment"), blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    request_id = models.CharField(_("request id"), max_length=32, blank=True)

    objects: ClassVar[EventManager] = EventManager()

    class Meta:
        verbose_name = _("document event")
        verbose_name_plural = _("document events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="workflow_event_doc")]

    def __str__(self) -> str:
        return f"{self.number} {self.action}"


class Attachment(OnDocument):
    """A file on a document (signed scan, stamped PDF...), stored outside the web root."""

    file = models.FileField(_("file"), upload_to="attachments/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    mime_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="workflow_attachment_doc")]

    def __str__(self) -> str:
        return self.original_name


class Comment(OnDocument):
    """A remark on a document (批注)."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="workflow_comment_doc")]

    def __str__(self) -> str:
        return self.text[:40]


class Notification(models.Model):
    """A message in a user's inbox; ``dedupe_key`` makes periodic reminders idempotent."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("user")
    )
    text = models.CharField(_("text"), max_length=300)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    dedupe_key = models.CharField(_("reminder key"), max_length=120, null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "dedupe_key"], name="workflow_notification_dedupe"),
        ]

    def __str__(self) -> str:
        return self.text
