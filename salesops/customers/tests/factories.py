"""Factories for customers, contacts, competitors and market intelligence."""

from decimal import Decimal

import factory

from salesops.customers.models import Competitor, Contact, Customer, CustomerKind, IntelSubject, MarketIntel
from salesops.org.tests.factories import RegionFactory


class CustomerFactory(factory.django.DjangoModelFactory):
    """A customer owned by ``owner`` (required), in the owner's branch and department."""

    class Meta:
        model = Customer

    code = factory.Sequence(lambda n: f"C{n:05d}")
    name = factory.Sequence(lambda n: f"客户{n}有限公司")
    kind = CustomerKind.END_USER
    region = factory.SubFactory(RegionFactory)
    branch = factory.LazyAttribute(lambda o: o.owner.branch)
    department = factory.LazyAttribute(lambda o: o.owner.department)
    credit_limit_amount = Decimal("10000.00")


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    name = factory.Sequence(lambda n: f"联系人{n}")
    title = "采购经理"
    phone = "13800000000"


class CompetitorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competitor

    name = factory.Sequence(lambda n: f"竞争对手{n}")
    products = "同类产品"


class MarketIntelFactory(factory.django.DjangoModelFactory):
    """An entry reported by ``owner`` (required)."""

    class Meta:
        model = MarketIntel

    subject = IntelSubject.MARKET
    region = factory.SubFactory(RegionFactory)
    market_facts = "本地市场需求上升"
    branch = factory.LazyAttribute(lambda o: o.owner.branch)
    department = factory.LazyAttribute(lambda o: o.owner.department)
