"""Routes of the delivery lists the rules watch (R7 due today and overdue, unconfirmed deliveries)."""

urlpatterns: list = []
