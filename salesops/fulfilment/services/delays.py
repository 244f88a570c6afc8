"""R7 shipment delays: why a signed contract ships later than the working day after signing, from
the regulation's list, accepted (or not) by the manager through the kernel's chain."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from salesops.core.errors import InvalidInput, TransitionNotAllowed
from salesops.core.policy import require
from salesops.org.models import User
from salesops.workflow.services import document_create

from ..models import DelayReason, ShipmentDelay
from ..permissions import CONFIRMERS
from ..workflows import DELAY_FLOW


@transaction.atomic
def delay_create(
    *, actor: User, contract_id: int, reason: str, ship_on: datetime.date, detail: str = ""
) -> ShipmentDelay:
    """Record why a contract will ship late (a draft: submitting it sends it to the manager)."""
    from salesops.deals.choices import ContractState
    from salesops.deals.selectors.contracts import contract_get_for

    require(actor, *CONFIRMERS)
    contract = contract_get_for(user=actor, pk=contract_id)
    if contract.state not in (ContractState.SIGNED, ContractState.ARCHIVED):
        raise TransitionNotAllowed(_("Only a signed contract has a ship-by date."))
    errors = {}
    if reason not in DelayReason.values:
        errors["reason"] = [_("Choose a reason from the list.")]
    if reason == DelayReason.OTHER and not (detail or "").strip():
        errors["detail"] = [_("Say what the other reason is.")]
    if not isinstance(ship_on, datetime.date) or (contract.signed_on and ship_on < contract.signed_on):
        errors["ship_on"] = [_("A date on or after the signing date.")]
    if errors:
        raise InvalidInput(_("Please correct the errors below."), fields=errors)
    return document_create(
        ShipmentDelay,
        flow=DELAY_FLOW,
        actor=actor,
        owner=actor,
        contract=contract,
        reason=reason,
        detail=(detail or "").strip(),
        ship_on=ship_on,
    )
