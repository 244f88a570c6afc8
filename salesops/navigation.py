"""The navigation of each role (context processor), plus the inbox badge count."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from salesops.org.roles import Role


@dataclass(frozen=True)
class NavItem:
    label: object
    url_name: str
    icon: str
    roles: frozenset[str] | None = None  # None: every signed-in user

    def shown_to(self, roles: frozenset[str]) -> bool:
        return self.roles is None or bool(self.roles & roles)


SALES = frozenset({Role.SALESPERSON, Role.SALES_MANAGER, Role.BRANCH_MANAGER, Role.LEADERSHIP, Role.ADMIN})
CUSTOMER_READERS = SALES | {Role.BACK_OFFICE, Role.FINANCE}
EXPENSE_READERS = SALES | {Role.FINANCE}
CONTRACT_READERS = SALES | {Role.BACK_OFFICE}
SUPPORT_ANSWERERS = frozenset({Role.TECHNICAL, Role.PURCHASING})
REGISTER_READERS = frozenset({Role.BACK_OFFICE, Role.LEADERSHIP, Role.ADMIN})

# The menu: a top item, or a group shown as a drop-down (a group with one visible item is a plain link).
MENU = (
    (
        None,
        (
            NavItem(_("My tasks"), "workflow:my-tasks", "bi-inbox"),
            NavItem(
                _("Waiting approvals"),
                "workflow:stuck-steps",
                "bi-hourglass-split",
                frozenset({Role.LEADERSHIP, Role.ADMIN}),
            ),
        ),
    ),
    (
        _("Customers"),
        (
            NavItem(_("Customers"), "customers:customer-list", "bi-people", CUSTOMER_READERS),
            NavItem(_("Market intelligence"), "customers:intel-list", "bi-binoculars", SALES),
            NavItem(_("Competitors"), "customers:competitor-list", "bi-flag", SALES),
            NavItem(_("Products"), "catalog:product-list", "bi-box-seam", None),
        ),
    ),
    (
        _("Deals"),
        (
            NavItem(_("Inquiries"), "deals:inquiry-list", "bi-question-circle", SALES),
            NavItem(_("Support requests"), "deals:supportrequest-list", "bi-life-preserver", SUPPORT_ANSWERERS),
            NavItem(_("Quotations"), "deals:quotation-list", "bi-file-earmark-text", SALES),
            NavItem(_("Contracts"), "deals:contract-list", "bi-file-earmark-check", CONTRACT_READERS),
            NavItem(_("Phone and fax orders"), "deals:phoneorder-list", "bi-telephone", CONTRACT_READERS),
            NavItem(_("Contract register"), "deals:register-list", "bi-journal-text", REGISTER_READERS),
            NavItem(_("Pipeline"), "deals:pipeline", "bi-funnel", SALES),
        ),
    ),
    (
        _("Expenses"),
        (
            NavItem(_("Expenses"), "expenses:expense-list", "bi-receipt", EXPENSE_READERS),
            NavItem(_("Special fees"), "expenses:specialfee-list", "bi-cash-coin", EXPENSE_READERS),
        ),
    ),
)


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_menu": []}
    roles = user.roles
    menu = []
    for group, items in MENU:
        shown = [{"label": i.label, "url": reverse(i.url_name), "icon": i.icon} for i in items if i.shown_to(roles)]
        if len(shown) == 1 or (shown and group is None):
            menu.extend({"link": item} for item in shown)
        elif shown:
            menu.append({"group": group, "items": shown, "active": any(request.path == i["url"] for i in shown)})
    return {
        "nav_menu": menu,
        "is_admin": Role.ADMIN in roles,
        "user_role_labels": [Role(r).label for r in sorted(roles)],
    }
