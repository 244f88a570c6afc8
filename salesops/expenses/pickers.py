"""Type-ahead picker of the dealers a permit may be raised for (``core.pickers``): the user's own
active dealers (``Customer.objects.visible_to``), found by code, name, full pinyin or initials. An
end user is not offered: its money is never collected under a permit (R2)."""

from salesops.core.pickers import Picker, register
from salesops.customers.models import Customer, CustomerKind

from .permissions import RAISERS


def dealers_of(user):
    return Customer.objects.visible_to(user).filter(is_active=True, kind=CustomerKind.DEALER)


register(
    Picker(
        name="dealer",
        roles=RAISERS,
        rows=dealers_of,
        search_fields=("code", "name"),
        label=lambda customer: f"{customer.code} {customer.name}",
        ordering=("code", "pk"),
    )
)
