"""The instrument's flow and who takes each step (R9, R12).

The salesperson (or the sales office for them) registers what they received; finance signs for it
(签收) and then endorses it on, discounts it, collects it or records its dishonour. A part of an
electronic bill endorsed or discounted on splits it (``split``): the parent ends there and its two
children carry on, the part that moved and the part kept (a child starts ``signed``: finance holds
it already). A registration made in error (no such instrument) is voided, with its reason, by the
sales office or finance while it waits to be signed.
"""

import dataclasses

from django.utils.translation import gettext_lazy as _

from salesops.org.roles import Role
from salesops.workflow.flows import Flow, T

from .models.instruments import InstrumentState as S

# Who registers an instrument received: the salesperson themselves, or the sales office (R9).
REGISTRARS = (Role.SALESPERSON, Role.BACK_OFFICE)
# Who signs for instruments and disposes of them (R12, W5.5).
SIGNERS = (Role.FINANCE,)
# Who voids a registration made in error: a second person, never the salesperson alone.
VOIDERS = (Role.BACK_OFFICE, Role.FINANCE)
# Who opens the register's pages (the rows each sees: ``Instrument.objects.visible_to``).
READERS = (
    Role.SALESPERSON,
    Role.SALES_MANAGER,
    Role.BRANCH_MANAGER,
    Role.BACK_OFFICE,
    Role.FINANCE,
    Role.LEADERSHIP,
    Role.ADMIN,
)
# Who may name the receiving salesperson when the office registers for them.
RECEIVERS = (Role.SALESPERSON, Role.SALES_MANAGER, Role.BRANCH_MANAGER)
# Where the receipt an instrument paid may be linked: signed for, whatever became of it since.
LINKABLE = (S.SIGNED, S.SPLIT, S.ENDORSED, S.DISCOUNTED, S.COLLECTED)


def transferable(instrument) -> str | None:
    """A bill marked "not transferable" (不得转让) is never endorsed on."""
    if not instrument.is_transferable:
        return str(_("This instrument is marked not transferable: it cannot be endorsed on."))
    return None


def discountable(instrument) -> str | None:
    """Banks discount acceptance bills, not cheques or drafts."""
    if not instrument.is_bill:
        return str(_("Only an acceptance bill is discounted."))
    return None


def splittable(instrument) -> str | None:
    if not instrument.is_splittable:
        return str(_("Only an electronic bill with a sub-bill range can be split."))
    return None


INSTRUMENT_FLOW = Flow(
    "receivables.Instrument",
    initial=S.PENDING_SIGN,
    transitions={
        "sign": T(S.PENDING_SIGN, S.SIGNED, by=SIGNERS, label=_("Sign for it")),
        "endorse": T(S.SIGNED, S.ENDORSED, by=SIGNERS, guard=transferable, via_form=True, label=_("Endorse on")),
        "discount": T(S.SIGNED, S.DISCOUNTED, by=SIGNERS, guard=discountable, via_form=True, label=_("Discount")),
        "collect": T(S.SIGNED, S.COLLECTED, by=SIGNERS, via_form=True, label=_("Record collection"), style="success"),
        "dishonour": T(S.SIGNED, S.DISHONOURED, by=SIGNERS, needs_comment=True, label=_("Dishonoured"), style="danger"),
        "split": T(S.SIGNED, S.SPLIT, by=SIGNERS, guard=splittable, via_form=True, label=_("Split")),
        "void": T(
            S.PENDING_SIGN,
            S.VOIDED,
            by=VOIDERS,
            voids=True,
            needs_comment=True,
            label=_("Void (registered in error)"),
            style="secondary",
        ),
    },
    state_styles={
        S.PENDING_SIGN: "warning",
        S.SIGNED: "primary",
        S.SPLIT: "light",
        S.ENDORSED: "info",
        S.DISCOUNTED: "info",
        S.COLLECTED: "success",
        S.DISHONOURED: "danger",
    },
)

# The children of a split start where finance already holds them.
CHILD_FLOW = dataclasses.replace(INSTRUMENT_FLOW, initial=S.SIGNED)
