"""The navigation of each role (context processor).

The menu holds no role sets of its own: an entry is shown exactly when the policy of the view its
URL resolves to (``@policy``) lets the user in, so the menu and the route cannot disagree.
"""

import functools
from dataclasses import dataclass

from django.urls import resolve, reverse
from django.utils.translation import gettext_lazy as _

from salesops.core.policy import Policy, policy_of
from salesops.org.roles import Role


@dataclass(frozen=True)
class NavItem:
    label: object
    url_name: str
    icon: str

    @property
    def url(self) -> str:
        return _url(self.url_name)

    @property
    def policy(self) -> Policy:
        return _policy(self.url_name)

    def shown_to(self, roles: frozenset[str]) -> bool:
        """For a signed-in, active user holding ``roles``."""
        return self.policy.admits(roles)


@functools.cache
def _url(url_name: str) -> str:
    return reverse(url_name)


@functools.cache
def _policy(url_name: str) -> Policy:
    declared = policy_of(resolve(_url(url_name)).func)
    if declared is None:  # PolicyMiddleware refuses such a route: it has no place in the menu
        raise LookupError(f"the menu links {url_name}, whose view declares no @policy")
    return declared


# The menu: a top item, or a group shown as a drop-down (a group with one visible item is a plain link).
MENU = (
    (
        None,
        (
            NavItem(_("My tasks"), "workflow:my-tasks", "bi-inbox"),
            NavItem(_("Waiting approvals"), "workflow:stuck-steps", "bi-hourglass-split"),
        ),
    ),
    (
        _("Customers"),
        (
            NavItem(_("Customers"), "customers:customer-list", "bi-people"),
            NavItem(_("Market intelligence"), "customers:intel-list", "bi-binoculars"),
            NavItem(_("Competitors"), "customers:competitor-list", "bi-flag"),
            NavItem(_("Products"), "catalog:product-list", "bi-box-seam"),
            NavItem(_("Warehouses"), "catalog:warehouse-list", "bi-building"),
        ),
    ),
    (
        _("Deals"),
        (
            NavItem(_("Inquiries"), "deals:inquiry-list", "bi-question-circle"),
            NavItem(_("Support requests"), "deals:supportrequest-list", "bi-life-preserver"),
            NavItem(_("Quotations"), "deals:quotation-list", "bi-file-earmark-text"),
            NavItem(_("Contracts"), "deals:contract-list", "bi-file-earmark-check"),
            NavItem(_("Phone and fax orders"), "deals:phoneorder-list", "bi-telephone"),
            NavItem(_("Contract register"), "deals:register-list", "bi-journal-text"),
            NavItem(_("Pipeline"), "deals:pipeline", "bi-funnel"),
        ),
    ),
    (
        _("Expenses"),
        (
            NavItem(_("Expenses"), "expenses:expense-list", "bi-receipt"),
            NavItem(_("Special fees"), "expenses:specialfee-list", "bi-cash-coin"),
            NavItem(_("Collection permits"), "expenses:permit-list", "bi-shield-check"),
        ),
    ),
    (
        _("Fulfilment"),
        (
            NavItem(_("Goods requisitions"), "fulfilment:requisition-list", "bi-clipboard-check"),
            NavItem(_("Sales delivery notes"), "fulfilment:note-list", "bi-file-earmark-text"),
            NavItem(_("Outbounds"), "fulfilment:outbound-list", "bi-truck"),
            NavItem(_("Customer confirmations"), "fulfilment:confirmation-list", "bi-pen"),
            NavItem(_("Returns and exchanges"), "fulfilment:return-list", "bi-arrow-return-left"),
            NavItem(_("Red sales outbound notes"), "fulfilment:rednote-list", "bi-file-earmark-minus"),
            NavItem(_("Shipment delays (R7)"), "fulfilment:delay-list", "bi-hourglass-split"),
            NavItem(_("Shipping due"), "fulfilment:shipping-due", "bi-alarm"),
            NavItem(_("Awaiting customer confirmation"), "fulfilment:unconfirmed", "bi-envelope-exclamation"),
            NavItem(_("Stock"), "fulfilment:stock-list", "bi-boxes"),
            NavItem(_("Stock ledger"), "fulfilment:stock-move-list", "bi-journal-text"),
        ),
    ),
    (
        _("Invoicing"),
        (
            NavItem(_("Invoice requests"), "receivables:invoicerequest-list", "bi-receipt-cutoff"),
            NavItem(_("Invoices"), "receivables:invoice-list", "bi-receipt"),
            NavItem(_("Red-invoice forms"), "receivables:redform-list", "bi-receipt"),
            NavItem(_("Invoice dispatch register"), "receivables:dispatch-list", "bi-send"),
            NavItem(
                _("Export to the e-invoice platform"), "receivables:platform-export", "bi-file-earmark-spreadsheet"
            ),
            NavItem(_("Import issued invoices"), "receivables:platform-import", "bi-upload"),
        ),
    ),
    (
        _("Collection"),
        (
            NavItem(_("Customer accounts"), "receivables:accounts", "bi-wallet2"),
            NavItem(_("Ageing"), "receivables:ageing", "bi-hourglass"),
            NavItem(_("Dunning list"), "receivables:dunning", "bi-telephone-outbound"),
            NavItem(_("Payment requests"), "receivables:paymentrequest-list", "bi-envelope-paper"),
            NavItem(_("Receipts"), "receivables:receipt-list", "bi-cash-stack"),
            NavItem(_("Instruments register"), "receivables:instrument-list", "bi-bank"),
            NavItem(_("Daily collection check"), "receivables:daily-checks", "bi-check2-square"),
            NavItem(_("Collection rate"), "receivables:collection-rate", "bi-graph-up"),
            NavItem(_("Statements of account"), "receivables:statement-list", "bi-journal-check"),
            NavItem(_("Statement campaigns"), "receivables:statement-run-list", "bi-collection"),
            NavItem(_("Unanswered statements"), "receivables:statement-unanswered", "bi-question-diamond"),
        ),
    ),
    (
        _("Rules"),
        (
            NavItem(_("Rules at risk"), "compliance:at-risk", "bi-exclamation-triangle"),
            NavItem(_("Violations"), "compliance:violation-list", "bi-flag"),
            NavItem(_("The department's rules"), "compliance:rules", "bi-journal-check"),
            NavItem(_("Reward and penalty proposals"), "compliance:proposal-list", "bi-award"),
            NavItem(_("Penalty ledger"), "compliance:ledger", "bi-journal-minus"),
            NavItem(_("Working-day calendar"), "org:calendar-years", "bi-calendar3"),
            NavItem(_("Printed forms"), "workflow:print-copies", "bi-printer"),
        ),
    ),
)


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_active:
        return {"nav_menu": []}
    roles = user.roles  # one query for the whole menu
    menu = []
    for group, items in MENU:
        shown = [{"label": i.label, "url": i.url, "icon": i.icon} for i in items if i.shown_to(roles)]
        if len(shown) == 1 or (shown and group is None):
            menu.extend({"link": item} for item in shown)
        elif shown:
            menu.append({"group": group, "items": shown, "active": any(request.path == i["url"] for i in shown)})
    return {
        "nav_menu": menu,
        "is_admin": Role.ADMIN in roles,
        "user_role_labels": [Role(r).label for r in sorted(roles)],
    }
