"""Writers of phone and fax orders (电话/传真订单), W3(6): an order taken without a formal contract
is recorded with its channel, the day it came in, why there is no contract, its lines and terms,
and is executed only after the manager confirms it (leadership too when major; PHONE_ORDER_FLOW
and the policies in ``deals.policies``).

Each service checks the actor first, runs in one transaction and writes its audit event in it; a
refusal leaves nothing behind.
"""

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from salesops.core.errors import Forbidden, InvalidInput, StaleEdit, TransitionNotAllowed, field_errors
from salesops.core.policy import require
from salesops.core.selectors import get_in_scope
from salesops.customers.models import Customer
from salesops.org.models import User
from salesops.org.roles import Role
from salesops.workflow.approvals import plan_chain
from salesops.workflow.services import document_create, document_update, transition

from ..choices import OrderChannel
from ..deviations import TERM_FIELDS, lines_summary
from ..lines import LineIn, check_lines, priced_rows, store_rows, totals_of
from ..models import PhoneOrder, PhoneOrderLine
from ..workflows import PHONE_ORDER_FLOW

# Take orders: the sales staff (W3.6).
RAISERS = (Role.SALESPERSON, Role.SALES_MANAGER, Role.BRANCH_MANAGER)
# W3.6: "executed only after the manager confirms it" (leadership, when major, on top).
CONFIRMERS = frozenset({Role.SALES_MANAGER, Role.BRANCH_MANAGER, Role.LEADERSHIP})
ORDER_FIELDS = ("customer_id", "channel", "received_on", "reason_without_contract", *TERM_FIELDS)


def _only(fields: dict[str, Any], allowed: Sequence[str]) -> None:
    # Mass assignment (RELIABILITY c.13): state, number, owner are set by the services only.
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise InvalidInput(
            _("These fields cannot be changed."), fields={name: [_("Not editable.")] for name in unknown}
        )


def _check_fields(actor: User, fields: dict[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
    """Check the order's own fields among ``fields``; return them ready for the model (``customer``)."""
    values = dict(fields)
    if "customer_id" in values:
        customer_id = values.pop("customer_id")
        customer = None
        if customer_id not in (None, ""):
            customer = Customer.objects.visible_to(actor).filter(pk=customer_id, is_active=True).first()
        if customer is None:
            errors["customer"] = [_("Choose one of your customers.")]
        values["customer"] = customer
    if "channel" in values and values["channel"] not in OrderChannel.values:
        errors["channel"] = [_("Phone or fax.")]
    if "received_on" in values:
        received_on = values["received_on"]
        if not isinstance(received_on, datetime.date) or isinstance(received_on, datetime.datetime):
            errors["received_on"] = [_("Give the day the order came in.")]
        elif received_on > timezone.localdate():
            errors["received_on"] = [_("Not in the future.")]
    if "reason_without_contract" in values:
        reason = values["reason_without_contract"]
        reason = reason.strip() if isinstance(reason, str) else ""
        if not reason:
            errors["reason_without_contract"] = [_("Say why there is no formal contract.")]
        values["reason_without_contract"] = reason
    return values


def _check_lines_into(lines: Sequence[LineIn] | None, errors: dict[str, list[str]]) -> dict[int, Any]:
    """The lines' products by id (checked), or their errors added to ``errors``."""
    if lines is None:
        return {}
    try:
        return check_lines(lines)
    except InvalidInput as exc:
        errors.update(exc.extra["fields"])
        return {}


def _order_for(actor: User, order: PhoneOrder) -> PhoneOrder:
    return get_in_scope(PhoneOrder.objects.visible_to(actor), order.pk, missing=_("Phone or fax order not found."))


@transaction.atomic
def phone_order_create(
    *,
    actor: User,
    customer_id: Any,
    channel: str,
    received_on: datetime.date,
    reason_without_contract: str,
    lines: Sequence[LineIn],
    **terms: Any,
) -> PhoneOrder:
    """Record a phone or fax order as a draft of the actor's, with its lines and terms."""
    require(actor, *RAISERS)
    _only(terms, TERM_FIELDS)
    errors: dict[str, list[str]] = {}
    values = _check_fields(
        actor,
        {
            "customer_id": customer_id,
            "channel": channel,
            "received_on": received_on,
            "reason_without_contract": reason_without_contract,
        },
        errors,
    )
    products = _check_lines_into(lines, errors)
    if errors:
        raise InvalidInput(_("Please correct the errors below."), fields=errors)
    rows = priced_rows(lines, line_model=PhoneOrderLine, products=products)
    with field_errors():
        # Totals from the line rows it stores, in the same write.
        order = document_create(
            PhoneOrder, flow=PHONE_ORDER_FLOW, actor=actor, owner=actor, **values, **terms, **totals_of(rows)
        )
    store_rows(rows, line_model=PhoneOrderLine, parent_field="order", parent=order, replace=False)
    return order


@transaction.atomic
def phone_order_update(
    *, actor: User, order: PhoneOrder, version: int, lines: Sequence[LineIn] | None = None, **fields: Any
) -> PhoneOrder:
    """Edit a draft or rejected order: any of its fields and, when given, all its lines."""
    _only(fields, ORDER_FIELDS)
    current = _order_for(actor, order)
    if current.owner_id != actor.pk and Role.ADMIN not in actor.roles:
        raise Forbidden(_("Only the owner may edit this document."))
    if current.state not in PHONE_ORDER_FLOW.editable_states:
        raise TransitionNotAllowed(
            _("The document can no longer be edited in state %(state)s.") % {"state": current.get_state_display()}
        )
    if current.version != version:
        raise StaleEdit(_("Somebody else saved this document first; reload it and edit again."))
    errors: dict[str, list[str]] = {}
    values = _check_fields(current.owner, fields, errors)
    products = _check_lines_into(lines, errors)
    if errors:
        raise InvalidInput(_("Please correct the errors below."), fields=errors)
    more_changes = None
    if lines is not None:
        old_lines = list(current.lines.select_related("product").order_by("pk"))
        new_lines = priced_rows(lines, line_model=PhoneOrderLine, products=products)
        labels = {line.product_id: str(line.product) for line in [*old_lines, *new_lines]}
        before, after = lines_summary(old_lines, labels), lines_summary(new_lines, labels)
        if before != after:
            more_changes = {"lines": (before, after)}
            values.update(totals_of(new_lines))
    with field_errors():
        # One edit event names the fields, the lines and the totals.
        updated = document_update(
            current, flow=PHONE_ORDER_FLOW, actor=actor, version=version, fields=values, more_changes=more_changes
        )
    if more_changes:
        store_rows(new_lines, line_model=PhoneOrderLine, parent_field="order", parent=updated, replace=True)
    return updated


@transaction.atomic
def phone_order_submit(*, actor: User, order: PhoneOrder, comment: str = "") -> PhoneOrder:
    """Submit for confirmation: the manager always, leadership too when major (W3.6)."""
    current = _order_for(actor, order)
    submit = PHONE_ORDER_FLOW.transitions["submit"]
    if (
        current.state in submit.sources
        and submit.actor_allowed(current, actor)
        and not any(step.role in CONFIRMERS for step in plan_chain(current))
    ):
        # W3.6 holds whatever the admin-edited policy says.
        raise TransitionNotAllowed(
            _(
                "The approval policy asks nobody to confirm phone and fax orders (W3.6). "
                "Ask the administrator to restore the order approval rules."
            )
        )
    return transition(PHONE_ORDER_FLOW, current, "submit", actor=actor, comment=comment)


def _decide(actor: User, order: PhoneOrder, action: str, comment: str) -> PhoneOrder:
    current = _order_for(actor, order)
    # The kernel refuses an approval by the document's own owner.
    return transition(PHONE_ORDER_FLOW, current, action, actor=actor, comment=comment)


@transaction.atomic
def phone_order_confirm(*, actor: User, order: PhoneOrder, comment: str = "") -> PhoneOrder:
    """The pending approver confirms; after the last step the order may be executed."""
    return _decide(actor, order, "confirm", comment)


@transaction.atomic
def phone_order_reject(*, actor: User, order: PhoneOrder, comment: str) -> PhoneOrder:
    """The pending approver rejects the order back to its salesperson, with the reason."""
    return _decide(actor, order, "reject", comment)


@transaction.atomic
def phone_order_cancel(*, actor: User, order: PhoneOrder, comment: str = "") -> PhoneOrder:
    """The salesperson cancels a draft or rejected order; it keeps its number."""
    return transition(PHONE_ORDER_FLOW, order, "cancel", actor=actor, comment=comment)
