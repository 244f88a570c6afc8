"""Type-ahead pickers of customers and staff (``core.pickers``): found by code, name, full
pinyin or initials, only within what the user may see or choose.

- ``customer``: active customers in ``Customer.objects.visible_to(user)`` (a salesperson's own,
  a manager's team's, all for leadership, sales office and finance).
- ``salesperson``: who the user may give a customer to (``assignable_owners``).
- ``user``: active staff whose work the user sees (``pickable_users``).
"""

from salesops.core.pickers import Picker, register
from salesops.core.policy import AUTHENTICATED

from .models import Customer
from .permissions import CUSTOMER_ASSIGNERS, CUSTOMER_READERS
from .selectors import assignable_owners, pickable_users


def _customers(user):
    return Customer.objects.visible_to(user).filter(is_active=True).select_related("owner")


def _staff_hint(user) -> str:
    return user.username


register(
    Picker(
        name="customer",
        roles=CUSTOMER_READERS,
        rows=_customers,
        search_fields=("code", "name"),
        label=lambda customer: f"{customer.code} {customer.name}",
        hint=lambda customer: str(customer.owner),
        ordering=("code", "pk"),
    )
)

register(
    Picker(
        name="salesperson",
        roles=CUSTOMER_ASSIGNERS,
        rows=lambda user: assignable_owners(user=user),
        search_fields=("username",),
        hint=_staff_hint,
        ordering=("username", "pk"),
    )
)

register(
    Picker(
        name="user",
        roles=(AUTHENTICATED,),
        rows=lambda user: pickable_users(user=user),
        search_fields=("username",),
        hint=_staff_hint,
        ordering=("username", "pk"),
    )
)
