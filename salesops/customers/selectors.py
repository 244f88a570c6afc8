"""Reads of customers, contacts, competitors and market intelligence (R1), always scoped to the reader."""

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesops.core.listing import YES_NO, Filter, Listing
from salesops.core.pinyin import search_condition
from salesops.core.selectors import get_in_scope
from salesops.org.models import Region, User
from salesops.org.roles import SEE_EVERYTHING

from .models import Competitor, Contact, Customer, CustomerKind, IntelSubject, MarketIntel, PotentialGrade
from .permissions import ADMINS, BRANCH_MANAGERS, COMPETITOR_READERS, OWNER_ROLES, SEES_OTHERS_CUSTOMERS, TEAM_MANAGERS


def _customers(user) -> QuerySet[Customer]:
    return Customer.objects.visible_to(user).select_related("region", "owner", "branch", "department")


def _region_filter(label) -> Filter:
    return Filter("region", "region_id", label, [(str(r.pk), r.name) for r in Region.objects.all()])


def customer_list(*, user) -> QuerySet[Customer]:
    """Customers the user may see (客户), with what a list row shows."""
    return _customers(user)


def customer_get_for(*, user, pk: Any) -> Customer:
    """One customer, or NotFound when it does not exist or is outside the user's scope."""
    customers = _customers(user).select_related("department__manager", "owner__manager")
    return get_in_scope(customers, pk, missing=_("Customer not found."))


def customer_to_act_on(*, user, pk: Any) -> Customer:
    """One customer with its owner, what a service files a document under (the page's joins left
    out), or NotFound when it does not exist or is outside the user's scope."""
    return get_in_scope(Customer.objects.visible_to(user).select_related("owner"), pk, missing=_("Customer not found."))


# Searched by the list page; the API searches the first three. The name is also found by its pinyin.
CUSTOMER_SEARCH_FIELDS = ("code", "name", "phone", "address")


def customer_search(
    *, user, q: str = "", kind: str = "", region: str = "", owner: str = "", active: bool | None = None
) -> QuerySet[Customer]:
    """The API's filters: text in code, name (Chinese, full pinyin or initials) or phone; kind;
    region code; owner username; active."""
    customers = customer_list(user=user)
    if q.strip():
        customers = customers.filter(search_condition(q, CUSTOMER_SEARCH_FIELDS[:3], "search_key"))
    if kind:
        customers = customers.filter(kind=kind)
    if region:
        customers = customers.filter(region__code=region)
    if owner:
        customers = customers.filter(owner__username=owner)
    if active is not None:
        customers = customers.filter(is_active=active)
    return customers.order_by("code", "pk")


def customer_listing(*, user) -> Listing:
    """Search, filters and sorting of the customer list page; the owner filter only for those who see others'."""
    filters = [
        Filter("kind", "kind", gettext_lazy("Kind"), list(CustomerKind.choices)),
        _region_filter(gettext_lazy("Region")),
        Filter("grade", "potential_grade", gettext_lazy("Grade"), list(PotentialGrade.choices)),
    ]
    if user.has_role(*SEES_OTHERS_CUSTOMERS):
        owners = User.objects.filter(pk__in=Customer.objects.visible_to(user).values("owner")).order_by("username")
        filters.append(Filter("owner", "owner_id", gettext_lazy("Salesperson"), [(str(u.pk), str(u)) for u in owners]))
    filters.append(Filter("active", "is_active", gettext_lazy("Active"), YES_NO))
    return Listing(
        search_fields=CUSTOMER_SEARCH_FIELDS,
        search_key="search_key",
        orderings={
            "code": "code",
            "name": "name",
            "kind": "kind",
            "region": "region__code",
            "owner": "owner__username",
            "grade": "potential_grade",
            "last_visit": "last_visit_on",
            "credit": "credit_limit_amount",
        },
        default_ordering="code",
        filters=tuple(filters),
    )


def assignable_owners(*, user) -> QuerySet[User]:
    """Salespeople the user may give a customer to: themselves; a sales manager's team; anyone for admin."""
    staff = User.objects.filter(is_active=True, role_links__role__in=OWNER_ROLES).distinct()
    if user.has_role(*ADMINS):
        return staff.order_by("username")
    scope = Q(pk=user.pk)
    if user.has_role(*TEAM_MANAGERS):
        scope |= Q(manager=user) | Q(department__manager=user)
    return staff.filter(scope).order_by("username")


def pickable_users(*, user) -> QuerySet[User]:
    """Active staff the user may pick (the ``user`` picker): those whose work the user sees, by the
    rule of ``visible_to``: themselves; a sales manager's department and direct reports; a branch
    manager's branch; everybody for leadership and admin; only themselves for the other roles."""
    staff = User.objects.filter(is_active=True)
    if not (user and user.is_authenticated and user.is_active):
        return staff.none()
    if user.has_role(*SEE_EVERYTHING):
        return staff
    scope = Q(pk=user.pk)
    if user.has_role(*TEAM_MANAGERS):
        scope |= Q(manager=user) | Q(department__manager=user)
    if user.has_role(*BRANCH_MANAGERS):
        scope |= Q(branch__manager=user)
    return staff.filter(scope)


def contact_list(*, user, customer_id: Any) -> QuerySet[Contact]:
    """Contacts (联系人) of one customer the user may see."""
    customer = customer_get_for(user=user, pk=customer_id)
    return customer.contacts.all()


def contact_get_for(*, user, pk: Any) -> Contact:
    contacts = Contact.objects.filter(customer__in=Customer.objects.visible_to(user)).select_related("customer")
    return get_in_scope(contacts, pk, missing=_("Contact not found."))


def competitor_list(*, user) -> QuerySet[Competitor]:
    """Competitors (竞争对手), R1: shared by the sales roles; nobody else sees them."""
    if not user.is_authenticated or not user.has_role(*COMPETITOR_READERS):
        return Competitor.objects.none()
    return Competitor.objects.all()


def competitor_get_for(*, user, pk: Any) -> Competitor:
    return get_in_scope(competitor_list(user=user), pk, missing=_("Competitor not found."))


def competitor_listing() -> Listing:
    return Listing(
        search_fields=("name", "products", "strengths", "notes"),
        orderings={"name": "name"},
        default_ordering="name",
    )


def intel_list(*, user, customer_id: Any = None) -> QuerySet[MarketIntel]:
    """Market intelligence (市场信息), R1, in the user's scope; newest first."""
    entries = MarketIntel.objects.visible_to(user).select_related("customer", "competitor", "region", "owner")
    if customer_id is not None:
        entries = entries.filter(customer_id=customer_id)
    return entries


def intel_get_for(*, user, pk: Any) -> MarketIntel:
    return get_in_scope(intel_list(user=user), pk, missing=_("Market intelligence not found."))


def intel_listing() -> Listing:
    return Listing(
        search_fields=("product_structure", "sales_info", "market_facts", "customer__name", "competitor__name"),
        search_key="customer__search_key",
        orderings={"date": "reported_on", "subject": "subject", "region": "region__code", "owner": "owner__username"},
        default_ordering="-date",
        filters=(
            Filter("subject", "subject", gettext_lazy("About"), list(IntelSubject.choices)),
            _region_filter(gettext_lazy("Territory")),
        ),
    )
