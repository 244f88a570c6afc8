"""Writer of negotiation notes (商务谈判记录), W3.1-2: the salesperson records each round after the
quotation; the manager is kept informed; on a major deal leadership is asked for instruction."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from salesops.core.errors import ApplicationError, Forbidden, InvalidInput, TransitionNotAllowed
from salesops.core.policy import require
from salesops.org.models import User
from salesops.org.roles import Role
from salesops.workflow.approvals import is_major
from salesops.workflow.services import notify, record_event

from ..choices import QuotationState
from ..models import NegotiationNote, Quotation
from ..selectors.inquiries import url_of
from .inquiries import RAISERS, holders_of, managers_of
from .quotations import owned_quotation

# Negotiation follows the issued quotation (W3.1) and goes on over the contract's terms once won.
NEGOTIABLE_STATES = (QuotationState.ISSUED, QuotationState.WON)


def negotiation_note_refusal(quotation: Quotation, actor: User) -> ApplicationError | None:
    """Why ``actor`` may not record a negotiation round on ``quotation`` now (None: they may): its
    salesperson, once it is out. The service raises it; the quotation page shows the form when None."""
    if quotation.owner_id != actor.pk:
        return Forbidden(_("Only the quotation's salesperson may do this."))
    if quotation.state not in NEGOTIABLE_STATES:
        return TransitionNotAllowed(_("Negotiation notes are kept for issued quotations."))
    return None


@transaction.atomic
def negotiation_note_add(
    *, actor: User, quotation: Quotation, happened_on: datetime.date, note: str
) -> NegotiationNote:
    """Record one round of negotiation on an issued quotation; tell the manager, and on a major deal
    ask leadership for instruction (W3.2)."""
    require(actor, *RAISERS)
    current = owned_quotation(actor, quotation)
    refusal = negotiation_note_refusal(current, actor)
    if refusal is not None:
        raise refusal
    errors: dict[str, list[str]] = {}
    if not isinstance(happened_on, datetime.date) or happened_on > timezone.localdate():
        errors["happened_on"] = [_("Not in the future.")]
    text = (note or "").strip() if isinstance(note, str) else ""
    if not text:
        errors["note"] = [_("This field is required.")]
    if errors:
        raise InvalidInput(_("Please correct the errors below."), fields=errors)
    major = is_major(current)
    entry = NegotiationNote.objects.create(
        quotation=current, happened_on=happened_on, note=text, author=actor, asks_instruction=major
    )
    record_event(
        current,
        "negotiation",
        actor=actor,
        from_state=current.state,
        to_state=current.state,
        comment=text,
        changes={"negotiation_note": (None, entry.pk), "happened_on": (None, happened_on)},
    )
    message = _("Negotiation on %(number)s (%(customer)s), %(day)s: %(note)s") % {
        "number": current.number,
        "customer": current.customer,
        "day": happened_on.isoformat(),
        "note": text[:150],
    }
    notify(managers_of(current, besides=actor), message, url=url_of(current))
    if major:
        notify(
            [user for user in holders_of(Role.LEADERSHIP) if user.pk != actor.pk],
            _("Major deal %(number)s asks for your instruction. %(message)s")
            % {"number": current.number, "message": message},
            url=url_of(current),
        )
    return entry
