"""Writers of the monthly contract register (合同编号登记), R15: the sales office compiles and
submits a closed month's register (the previous month's, due by the 5th).

Compiling counts the month's contracts and voids from the contracts themselves and refuses a
month whose numbers show a gap or a void without its reason (neither can happen through the
services; the check makes a fault loud instead of filing it). Submitting compiles afresh and
records who submitted it and when; a submitted register is final. Only a closed month qualifies:
the current month still draws numbers.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from salesops.core.errors import InvalidInput, TransitionNotAllowed
from salesops.core.policy import require
from salesops.org.models import User
from salesops.workflow.services import changed_fields, record_event

from ..choices import ContractState
from ..models import ContractRegister
from ..selectors.register import REGISTER_KEEPERS, parse_period, period_of, register_gaps, register_rows


def _closed_period(period: str) -> None:
    parse_period(period)
    if period >= period_of(timezone.localdate()):
        raise InvalidInput(
            _("The register of %(period)s cannot be compiled yet: only a past month's register is (R15).")
            % {"period": period},
            fields={"period": [_("A past month.")]},
        )


def _locked_register(period: str) -> ContractRegister:
    ContractRegister.objects.get_or_create(period=period)
    register = ContractRegister.objects.select_for_update().get(period=period)
    if register.submitted_at is not None:
        raise TransitionNotAllowed(
            _("The register of %(period)s was already submitted; it is final.") % {"period": period}
        )
    return register


def _counts(period: str) -> dict[str, int]:
    gaps = register_gaps(period)
    if gaps:
        raise TransitionNotAllowed(
            _("Contract numbers are missing from %(period)s: %(numbers)s. Report this to the administrator.")
            % {"period": period, "numbers": ", ".join(gaps[:20])}
        )
    rows = register_rows(period)
    unexplained = [row.number for row in rows if row.state == ContractState.VOIDED and not row.void_reason.strip()]
    if unexplained:
        raise TransitionNotAllowed(
            _("Voided contracts without a reason: %(numbers)s (R15).") % {"numbers": ", ".join(unexplained[:20])}
        )
    return {
        "contract_count": len(rows),
        "voided_count": sum(1 for row in rows if row.state == ContractState.VOIDED),
    }


def _compile(register: ContractRegister, *, actor: User, action: str, extra: dict | None = None) -> ContractRegister:
    values = {**_counts(register.period), "compiled_at": timezone.now(), **(extra or {})}
    changes = changed_fields(register, values)
    for name, value in values.items():
        setattr(register, name, value)
    register.save()
    record_event(register, action, actor=actor, comment=register.period, changes=changes)
    return register


@transaction.atomic
def register_compile(*, actor: User, period: str) -> ContractRegister:
    """The sales office compiles a past month's register: every number, in order, voids explained."""
    require(actor, *REGISTER_KEEPERS)
    _closed_period(period)
    return _compile(_locked_register(period), actor=actor, action="compile")


@transaction.atomic
def register_submit(*, actor: User, period: str) -> ContractRegister:
    """The sales office submits a past month's register (due by the 5th of the next month, R15)."""
    require(actor, *REGISTER_KEEPERS)
    _closed_period(period)
    register = _locked_register(period)
    return _compile(
        register, actor=actor, action="submit", extra={"submitted_at": timezone.now(), "submitted_by": actor}
    )
