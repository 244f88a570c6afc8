"""Routes of the return, red note and shipment delay forms."""

urlpatterns: list = []
