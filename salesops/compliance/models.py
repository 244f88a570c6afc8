"""The rule set in force (versioned, adopted, acknowledged), the violations found under it with
their review, and the penalty ledger (R17, D3).

A violation is a numbered document (``WG``): its review is the kernel's approval chain (the
person's manager confirms, reduces or waives; leadership decides an appeal), its history the
audit trail. The ledger is append-only: an overturned penalty is reversed by a second entry.
"""

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesops.org.scoping import scope_q
from salesops.workflow.models import AppendOnly, Document, DocumentQuerySet
from salesops.workflow.rules import Severity


class PenaltyMode(models.TextChoices):
    """How a confirmed violation is counted. Fining employees has had no basis in Chinese law since
    2008 (courts void fine clauses), so performance points are the default; "fine" is offered only
    after the administrator accepts the legal notice."""

    POINTS = "points", _("performance points")
    BONUS = "bonus", _("suggested bonus deduction")
    FINE = "fine", _("fine (after the legal notice)")


class PenaltySettings(models.Model):
    """The company's penalty settings (one row)."""

    mode = models.CharField(_("penalty mode"), max_length=10, choices=PenaltyMode.choices, default=PenaltyMode.POINTS)
    fine_notice_accepted_at = models.DateTimeField(_("legal notice accepted at"), null=True, blank=True)
    fine_notice_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("legal notice accepted by"),
    )
    appeal_working_days = models.PositiveSmallIntegerField(
        _("appeal window (working days)"), default=3, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    monthly_cap = models.DecimalField(
        _("monthly cap per person (yuan)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("200.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    monthly_points_cap = models.PositiveSmallIntegerField(_("monthly cap per person (points)"), default=10)

    class Meta:
        verbose_name = _("penalty settings")
        verbose_name_plural = _("penalty settings")

    def __str__(self) -> str:
        return str(self.get_mode_display())

    @classmethod
    def current(cls) -> "PenaltySettings":
        found = cls.objects.order_by("pk").first()
        return found if found is not None else cls.objects.create()


class RuleSet(models.Model):
    """One version of the rule set. Changing any rule makes a new version; a violation records the
    version it was found under. The company adopts a version (date, minutes) and each employee
    acknowledges it."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    change_note = models.TextField(_("what changed"), blank=True)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    minutes = models.FileField(_("minutes of the adoption"), upload_to="compliance/minutes/", blank=True)

    class Meta:
        verbose_name = _("rule set version")
        verbose_name_plural = _("rule set versions")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"v{self.version}"


class RuleDefinition(models.Model):
    """A rule as the company set it in one version: the regulation's text, severity, penalty range."""

    rule_set = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="rules", verbose_name=_("version"))
    code = models.CharField(_("rule"), max_length=10)
    title = models.CharField(_("title"), max_length=200)
    text_zh = models.TextField(_("the regulation's text"))
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    penalty_min = models.DecimalField(_("penalty from (yuan)"), max_digits=8, decimal_places=2)
    penalty_max = models.DecimalField(_("penalty up to (yuan)"), max_digits=8, decimal_places=2)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("rule")
        verbose_name_plural = _("rules")
        ordering = ["rule_set", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["rule_set", "code"], name="compliance_rule_once_per_version"),
            models.CheckConstraint(
                condition=models.Q(penalty_min__gte=0) & models.Q(penalty_max__gte=models.F("penalty_min")),
                name="compliance_rule_penalty_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    @property
    def label(self) -> str:
        """The title in the reader's language (the registered rule's), else as stored."""
        from salesops.workflow.rules import rule

        registered = rule(self.code)
        return str(registered.title) if registered is not None else self.title


class Acknowledgement(models.Model):
    """An employee has read a version of the rule set (知悉确认)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("employee")
    )
    rule_set = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="+", verbose_name=_("version"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), default=timezone.now)

    class Meta:
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        constraints = [models.UniqueConstraint(fields=["user", "rule_set"], name="compliance_ack_once")]

    def __str__(self) -> str:
        return f"{self.user} {self.rule_set}"


class ViolationState(models.TextChoices):
    REVIEWING = "reviewing", _("Waiting for the manager's review")
    CONFIRMED = "confirmed", _("Confirmed")
    WAIVED = "waived", _("Waived")
    APPEALED = "appealed", _("Appealed, waiting for leadership")
    UPHELD = "upheld", _("Appeal rejected")
    OVERTURNED = "overturned", _("Appeal granted")


class ViolationQuerySet(DocumentQuerySet):
    def visible_to(self, user) -> "ViolationQuerySet":
        """The person's own (whatever their role: the sales office has violations too), and those
        of the people their scope covers (a manager's department, a branch, everyone for leadership)."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        scope = scope_q(user)
        if not scope:  # everything (leadership, admin): an empty Q would vanish in the OR below
            return self.all()
        return self.filter(scope | Q(owner=user))


class FoundBy(models.TextChoices):
    EVENT = "event", _("when the action was taken")
    SWEEP = "sweep", _("by the daily check")


class Violation(Document):
    """A breach of a rule by a person (the owner), found by the engine (违规记录)."""

    NUMBER_PREFIX = "WG"

    rule = models.ForeignKey(
        RuleDefinition, on_delete=models.PROTECT, related_name="violations", verbose_name=_("rule")
    )
    rule_code = models.CharField(_("rule"), max_length=10, db_index=True, editable=False)
    # Unique per rule, subject (a document, or the person) and period: a sweep run twice, or two
    # at once, never finds the same breach twice.
    key = models.CharField(_("key"), max_length=120, unique=True, editable=False)
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("about")
    )
    subject_id = models.PositiveBigIntegerField(_("document id"), null=True, blank=True)
    subject_number = models.CharField(_("document"), max_length=40, blank=True)
    period = models.CharField(_("period"), max_length=20, blank=True)
    occurred_on = models.DateField(_("occurred on"), db_index=True)
    detail = models.CharField(_("what happened"), max_length=300, blank=True)
    found_by = models.CharField(_("found by"), max_length=10, choices=FoundBy.choices, editable=False)
    # The deadline it missed was counted on a provisional calendar (预计).
    provisional = models.BooleanField(_("counted on a provisional calendar"), default=False, editable=False)
    # Whether the person had acknowledged the rule set version before the breach (else: not notified).
    notified = models.BooleanField(_("person notified of the rules"), default=False, editable=False)
    proposed_points = models.PositiveSmallIntegerField(_("proposed points"), default=0, editable=False)
    proposed_amount = models.DecimalField(
        _("proposed amount"), max_digits=8, decimal_places=2, default=Decimal("0"), editable=False
    )
    points = models.PositiveSmallIntegerField(_("points"), null=True, blank=True, editable=False)
    amount = models.DecimalField(_("amount"), max_digits=8, decimal_places=2, null=True, blank=True, editable=False)
    reduce_reason = models.TextField(_("reason for reducing"), blank=True, editable=False)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True, editable=False)
    state = models.CharField(_("state"), max_length=24, choices=ViolationState.choices, editable=False, db_index=True)

    # A narrower visible_to than the base queryset's (the person's own, whatever their role).
    objects = ViolationQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("violation")
        verbose_name_plural = _("violations")
        ordering = ["-occurred_on", "-pk"]
        indexes = [models.Index(fields=["owner", "occurred_on"], name="compliance_violation_person")]

    def get_absolute_url(self) -> str:
        return reverse("compliance:violation-detail", args=[self.pk])

    def approval_flags(self) -> set[str]:
        """The manager reviews the finding; leadership decides an appeal (policy flags)."""
        return {"appeal"} if self.state == ViolationState.APPEALED else {"review"}

    def task_summary(self) -> str:
        return f"{self.rule_code} · {self.owner} · {self.detail}"[:200]


class EntryKind(models.TextChoices):
    PENALTY = "penalty", _("penalty")
    REWARD = "reward", _("reward")
    COMPENSATION = "compensation", _("compensation for a loss")


class ProposalState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Waiting for leadership")
    APPROVED = "approved", _("Decided: agreed")
    REJECTED = "rejected", _("Decided: not agreed")
    CANCELLED = "cancelled", _("Cancelled")


class Proposal(Document):
    """A manager's reward or penalty proposal to the company (奖惩建议, D3, D5), or a claim that an
    employee compensate an actual loss they caused (R6): leadership decides, the ledger records it."""

    NUMBER_PREFIX = "JC"

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("employee")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EntryKind.choices)
    points = models.PositiveSmallIntegerField(_("points"), default=0)
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2, default=Decimal("0"))
    month = models.CharField(_("month"), max_length=6, help_text=_("YYYYMM"))
    reason = models.TextField(_("reason"))
    # Compensation only: the loss, proven by a document, and the wage HR entered for the month.
    loss_amount = models.DecimalField(_("loss amount"), max_digits=12, decimal_places=2, null=True, blank=True)
    loss_document = models.CharField(_("loss evidence (document number)"), max_length=40, blank=True)
    state = models.CharField(_("state"), max_length=24, choices=ProposalState.choices, editable=False, db_index=True)

    class Meta:
        verbose_name = _("reward or penalty proposal")
        verbose_name_plural = _("reward and penalty proposals")
        ordering = ["-created_at", "-pk"]

    def get_absolute_url(self) -> str:
        return reverse("compliance:proposal-detail", args=[self.pk])

    def approval_amount(self) -> Decimal:
        return self.amount

    def task_summary(self) -> str:
        figure = f"{self.points} 分" if self.points else f"¥{self.amount}"
        return f"{self.get_kind_display()} · {self.person} · {figure} · {self.reason}"[:200]


class MonthlyWage(models.Model):
    """An employee's wage for a month, entered by HR / payroll: the base of the 20 % cap on a
    deduction for a loss (工资支付暂行规定 第十六条)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("employee")
    )
    month = models.CharField(_("month"), max_length=6, help_text=_("YYYYMM"))
    amount = models.DecimalField(_("monthly wage"), max_digits=10, decimal_places=2)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("entered by")
    )
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now)

    class Meta:
        verbose_name = _("monthly wage")
        verbose_name_plural = _("monthly wages")
        constraints = [
            models.UniqueConstraint(fields=["person", "month"], name="compliance_wage_once"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="compliance_wage_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.month}"


class LedgerEntry(AppendOnly):
    """One line of the reward and penalty ledger (奖惩台账): points or an amount for a person in a
    month, from a confirmed violation or a decided proposal. Append-only; an overturned penalty is
    reversed by a negative entry naming the one it reverses."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("employee")
    )
    month = models.CharField(_("month"), max_length=6, db_index=True, help_text=_("YYYYMM"))
    violation = models.ForeignKey(
        Violation, on_delete=models.PROTECT, null=True, blank=True, related_name="ledger", verbose_name=_("violation")
    )
    proposal = models.ForeignKey(
        Proposal, on_delete=models.PROTECT, null=True, blank=True, related_name="ledger", verbose_name=_("proposal")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EntryKind.choices, default=EntryKind.PENALTY)
    mode = models.CharField(_("penalty mode"), max_length=10, choices=PenaltyMode.choices)
    points = models.SmallIntegerField(_("points"), default=0)
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2, default=Decimal("0"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by", verbose_name=_("reverses")
    )
    created_at = models.DateTimeField(_("at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.person} {self.month} {self.points or self.amount}"


class SweepLock(models.Model):
    """One row per rule, locked while its violations are written: two sweeps of a rule at once
    run one after the other, so neither creates what the other did."""

    code = models.CharField(_("rule"), max_length=10, unique=True)
    last_swept_at = models.DateTimeField(_("last checked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("rule check lock")
        verbose_name_plural = _("rule check locks")

    def __str__(self) -> str:
        return self.code
