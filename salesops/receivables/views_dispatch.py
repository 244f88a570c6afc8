"""The invoice dispatch register page (R9)."""

from salesops.core.policy import policy
from salesops.core.views_generic import ListPage

from .permissions import READERS
from .selectors.dispatches import dispatch_list, dispatch_listing


@policy(*READERS)
class DispatchListView(ListPage):
    template_name = "receivables/dispatch/dispatch_list.html"
    partial_name = "receivables/dispatch/dispatch_results.html"

    def rows(self):
        return dispatch_list(user=self.request.user)

    def listing(self):
        return dispatch_listing()
