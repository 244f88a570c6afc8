"""The demo's stock: receipts of the first products into both warehouses, and one count
adjustment, booked by the warehouse keeper through the services (so the ledger sums to on-hand)."""

import random

from salesops.catalog.models import Product, Warehouse
from salesops.fulfilment.services import scale_of, stock_adjust, stock_receive
from salesops.org.models import User


def load_demo_stock(*, rng: random.Random, users: dict[str, User]) -> int:
    keeper = users["warehouse1"]
    moves = 0
    for warehouse in Warehouse.objects.order_by("code"):
        for product in Product.objects.order_by("code")[:30]:
            whole = scale_of(product.unit) == 0
            quantity = rng.randint(2, 60) if whole else round(rng.uniform(5, 500), 3)
            stock_receive(
                actor=keeper, warehouse_id=warehouse.pk, product_id=product.pk, quantity=quantity, reason="期初库存"
            )
            moves += 1
    first = Product.objects.order_by("code").first()
    main = Warehouse.objects.order_by("code").first()
    if first is not None and main is not None:
        stock_adjust(actor=keeper, warehouse_id=main.pk, product_id=first.pk, change=-1, reason="盘点短少 1")
        moves += 1
    return moves
