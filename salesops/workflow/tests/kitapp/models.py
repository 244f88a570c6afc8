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


class MemoLine(models.Model):
    """A line of a memo, so that its printed form is a delivery-note-like table (the copies and
    paper sizes of ``print/base.html``)."""

    memo = models.ForeignKey(Memo, on_delete=models.CASCADE, related_name="lines")
    product = models.CharField("product", max_length=60)
    specification = models.CharField("specification", max_length=40)
    unit = models.CharField("unit", max_length=8)
    quantity = models.DecimalField("quantity", max_digits=12, decimal_places=3)
    unit_price = models.DecimalField("unit price", max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.product

    @property
    def amount(self) -> Decimal:
        return (self.quantity * self.unit_price).quantize(Decimal("0.01"))
