"""Routes of the delivery forms (requisition, note, outbound, confirmation)."""

urlpatterns: list = []
