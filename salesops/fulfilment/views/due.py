"""The lists the delivery rules watch: signed contracts to ship today or overdue (R7), and
deliveries still waiting for the customer's signed confirmation (W4.6). Who sees which rows is the
selectors' (``visible_to``); the pages only show them."""

from typing import Any

from django.utils import timezone

from salesops.core.policy import policy
from salesops.core.views_generic import ListPage
from salesops.org.calendar import load

from .. import selectors
from ..selectors.due import SHIPPING_DUE_READERS, UNCONFIRMED_READERS, confirmation_working_days


class _CalendarListPage(ListPage):
    """A list whose rows count working days: the calendar is read once per request."""

    def setup(self, request, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.today = timezone.localdate()
        self.calendar = load()


@policy(*SHIPPING_DUE_READERS)
class ShippingDueView(_CalendarListPage):
    template_name = "fulfilment/due/shipping_due.html"
    partial_name = "fulfilment/due/partials/shipping_due_results.html"

    def rows(self):
        return selectors.shipping_due(user=self.request.user, today=self.today, data=self.calendar)

    def listing(self):
        return selectors.shipping_due_listing(user=self.request.user)

    def extra_context(self, result: dict[str, Any]) -> dict[str, Any]:
        return {"today": self.today, "due_rows": selectors.shipping_due_rows(result["rows"], data=self.calendar)}


@policy(*UNCONFIRMED_READERS)
class UnconfirmedView(_CalendarListPage):
    template_name = "fulfilment/due/unconfirmed.html"
    partial_name = "fulfilment/due/partials/unconfirmed_results.html"

    def rows(self):
        return selectors.unconfirmed_outbounds(user=self.request.user, today=self.today, data=self.calendar)

    def listing(self):
        return selectors.unconfirmed_listing(user=self.request.user)

    def extra_context(self, result: dict[str, Any]) -> dict[str, Any]:
        return {
            "working_days": confirmation_working_days(),
            "waited_rows": selectors.waited_working_days(result["rows"], today=self.today, data=self.calendar),
        }
