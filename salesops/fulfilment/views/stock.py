"""Pages of stock: on-hand per product and warehouse, the stock ledger, and the warehouse's
receipt and adjustment forms."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesops.core.errors import InvalidInput
from salesops.core.policy import AUTHENTICATED, policy
from salesops.core.views_generic import FormPage, ListPage

from .. import selectors, services
from ..forms import AdjustmentForm, ReceiptForm
from ..permissions import LEDGER_READERS, STOCK_KEEPERS


@policy(AUTHENTICATED)
class StockListView(ListPage):
    template_name = "fulfilment/stock_list.html"
    partial_name = "fulfilment/partials/stock_results.html"

    def rows(self):
        return selectors.stock_list(user=self.request.user)

    def listing(self):
        return selectors.stock_listing()

    def extra_context(self, result: dict[str, Any]) -> dict[str, Any]:
        user = self.request.user
        return {"can_book": user.has_role(*STOCK_KEEPERS), "can_read_ledger": user.has_role(*LEDGER_READERS)}


@policy(*LEDGER_READERS)
class StockMoveListView(ListPage):
    template_name = "fulfilment/move_list.html"
    partial_name = "fulfilment/partials/move_results.html"

    def rows(self):
        return selectors.stock_moves(user=self.request.user)

    def listing(self):
        return selectors.stock_move_listing()


class _StockFormPage(FormPage):
    form_errors = (InvalidInput,)
    form_class: Any = None

    def make_form(self, data=None, files=None):
        return self.form_class(data)

    def success_url(self, result) -> str:
        return reverse("fulfilment:stock-move-list")

    def cancel_url(self) -> str:
        return reverse("fulfilment:stock-list")


@policy(*STOCK_KEEPERS)
class ReceiptView(_StockFormPage):
    title = gettext_lazy("Book a receipt")
    form_class = ReceiptForm

    def perform(self, form):
        return services.stock_receive(actor=self.request.user, **form.service_kwargs())

    def success_message(self, result) -> str:
        return _("Received: %(product)s %(quantity)s, on hand %(balance)s.") % {
            "product": result.product,
            "quantity": result.quantity,
            "balance": result.balance,
        }


@policy(*STOCK_KEEPERS)
class AdjustmentView(_StockFormPage):
    title = gettext_lazy("Adjust stock")
    form_class = AdjustmentForm

    def perform(self, form):
        return services.stock_adjust(actor=self.request.user, **form.service_kwargs())

    def success_message(self, result) -> str:
        return _("Adjusted: %(product)s %(quantity)s, on hand %(balance)s.") % {
            "product": result.product,
            "quantity": result.quantity,
            "balance": result.balance,
        }
