from decimal import Decimal

from django.db import models

from salesops.workflow.models import Document


class MemoState(models.TextChoices):
    DRAFT = "draft", "draft"
    PENDING = "pending", "pending"
    APPROVED = "approved", "approved"
    REJECTED = "rejected", "returned"
    CANCELLED = "cancelled", "cancelled"


class Memo(Document):
    """A test-only document: a title and an amount, approved by the owner's manager (and leadership
    from the major threshold)."""

    NUMBER_PREFIX = "TM"

    title = models.CharField("title", max_length=100)
    amount = models.DecimalField("amount", max_digits=14, decimal_places=2, default=Decimal("0"))
    state = models.CharField("state", max_length=24, choices=MemoState.choices, editable=False, db_index=True)

    class Meta:
        verbose_name = "memo"
        verbose_name_plural = "memos"

    def get_absolute_url(self) -> str:
        return f"/kit/memos/{self.pk}/"

    def approval_amount(self) -> Decimal:
        return self.amount

    def task_summary(self) -> str:
        return f"{self.title} · ¥{self.amount:,.2f}"
