"""The expenses' rules, checked by the compliance engine (registered in ``ExpensesConfig.ready``)."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesops.org.roles import Role
from salesops.workflow.models import ApprovalStep, StepStatus
from salesops.workflow.rules import Breach, CheckWindow, RuleCheck, Severity

from .models import ExpenseRequest, SpecialFee


def _only(rows, window: CheckWindow):
    return rows.filter(pk__in=window.ids) if window.ids is not None else rows


def expenses_before_approval(window: CheckWindow):
    """R3: spent before the manager agreed (recorded as incurred, or submitted with its planned
    date already past: the document carries the flag, set by the services and never cleared)."""
    rows = _only(
        ExpenseRequest.objects.filter(incurred_before_approval=True)
        .annotate(day=Coalesce("incurred_on", "planned_on"))
        .filter(day__gte=window.since, day__lte=window.today),
        window,
    )
    for row in rows.values("pk", "number", "owner_id", "day", "amount"):
        yield Breach(
            person_id=row["owner_id"],
            occurred_on=row["day"],
            subject_model=ExpenseRequest,
            subject_id=row["pk"],
            subject_number=row["number"],
            detail=_("%(amount)s yuan spent before approval") % {"amount": row["amount"]},
        )


def special_fees_paid_without_instruction(window: CheckWindow):
    """R6: paid without leadership's approved step (the payment service refuses it; the check
    proves it stays so)."""
    instructed = ApprovalStep.objects.filter(
        content_type=ContentType.objects.get_for_model(SpecialFee),
        object_id=OuterRef("pk"),
        status=StepStatus.APPROVED,
        role=Role.LEADERSHIP,
    )
    rows = _only(SpecialFee.objects.filter(paid_on__gte=window.since, paid_on__lte=window.today), window).filter(
        ~Exists(instructed)
    )
    for row in rows.values("pk", "number", "owner_id", "paid_on", "amount"):
        yield Breach(
            person_id=row["owner_id"],
            occurred_on=row["paid_on"],
            subject_model=SpecialFee,
            subject_id=row["pk"],
            subject_number=row["number"],
            detail=_("%(amount)s yuan paid without leadership's instruction") % {"amount": row["amount"]},
        )


R3 = RuleCheck(
    code="R3",
    title=gettext_lazy("Sales expenses are agreed with the manager before they are incurred"),
    text_zh="销售人员在工作推广过程中发生的销售费用应事先与销售经理核对",
    severity=Severity.MINOR,
    find=expenses_before_approval,
    watches={"expenses.expenserequest": ("create", "submit")},
    suspect=lambda expense: expense.incurred_before_approval,
)
R6 = RuleCheck(
    code="R6",
    title=gettext_lazy("A special fee is paid only after leadership's instruction"),
    text_zh="最后,特殊费用的支付必须在征求公司领导的指示后才能进行。违反规定造成损失的,责任人应当赔偿损失",
    severity=Severity.SERIOUS,
    find=special_fees_paid_without_instruction,
    watches={"expenses.specialfee": ("pay",)},
)
RULES = (R3, R6)
