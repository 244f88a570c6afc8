"""Factories for products and warehouses."""

from decimal import Decimal

import factory

from salesops.catalog.models import Product, Warehouse


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    code = factory.Sequence(lambda n: f"P{n:05d}")
    name = factory.Sequence(lambda n: f"产品{n}")
    model = "XJ-100"
    specification = "100kg"
    unit = "台"
    standard_price = Decimal("1000.00")
    floor_price = Decimal("800.00")
    tax_rate = Decimal("0.13")


class WarehouseFactory(factory.django.DjangoModelFactory):
    """A warehouse of ``branch`` (required)."""

    class Meta:
        model = Warehouse

    code = factory.Sequence(lambda n: f"W{n:02d}")
    name = factory.Sequence(lambda n: f"仓库{n}")
