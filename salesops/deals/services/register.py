"""Writers of the monthly contract register (合同编号登记), R15: the sales office compiles and
submits a closed month's register (the previous month's, due by the 5th).

Both go through ``REGISTER_FLOW`` (the kernel's ``transition``: the row locked, the state and the
actor checked, the counts saved with the state and named in one audit event). Compiling counts the
month's contracts and voids from the contracts themselves and refuses a month whose numbers show a
gap or a void without its reason (neither can happen through the services; the check makes a fault
loud instead of filing it). Submitting compiles afresh and records who submitted it and when; a
submitted register is final. Only a closed month qualifies: the current month still draws numbers.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from salesops.core.errors import InvalidInput, TransitionNotAllowed
from salesops.core.policy import require
from salesops.org.models import User
from salesops.workflow.services import transition

from ..choices import ContractState
from ..models import ContractRegister
from ..selectors.register import REGISTER_KEEPERS, parse_period, period_of, register_gaps, register_rows
from ..workflows import REGISTER_FLOW


def _closed_period(period: str) -> None:
    parse_period(period)
    if period >= period_of(timezone.localdate()):
        raise InvalidInput(
            _("The register of %(period)s cannot be compiled yet: only a past month's register is (R15).")
            % {"period": period},
            fields={"period": [_("A past month.")]},
        )


def _register_of(period: str) -> ContractRegister:
    """The month's register row, created in its initial state on first use (the ``compile`` or
    ``submit`` event that follows in the same transaction audits it)."""
    register, _created = ContractRegister.objects.get_or_create(period=period)
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


def _compiled(*, extra: dict | None = None):
    """The fields that go with compiling: the counts read afresh from the month's contracts (a gap or
    an unexplained void refuses it), and when."""

    def values(register: ContractRegister) -> dict:
        return {**_counts(register.period), "compiled_at": timezone.now(), **(extra or {})}

    return values


@transaction.atomic
def register_compile(*, actor: User, period: str) -> ContractRegister:
    """The sales office compiles a past month's register: every number, in order, voids explained."""
    require(actor, *REGISTER_KEEPERS)
    _closed_period(period)
    return transition(REGISTER_FLOW, _register_of(period), "compile", actor=actor, comment=period, values=_compiled())


@transaction.atomic
def register_submit(*, actor: User, period: str) -> ContractRegister:
    """The sales office submits a past month's register (due by the 5th of the next month, R15); it
    is compiled afresh as it goes, and final once submitted."""
    require(actor, *REGISTER_KEEPERS)
    _closed_period(period)
    return transition(
        REGISTER_FLOW,
        _register_of(period),
        "submit",
        actor=actor,
        comment=period,
        values=_compiled(extra={"submitted_at": timezone.now(), "submitted_by": actor}),
    )
