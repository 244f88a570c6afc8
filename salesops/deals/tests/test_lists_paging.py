"""Every HTML list page of documents and master data past its first page (defect 11 of issue 6:
``/deals/contracts/`` answered 500 once there were more than 25 contracts).

Each case bulk-creates a few more rows than one page holds, then page 1 and page 2 must answer 200
and show different rows, and the pages' sort and search links must keep working. A list page added
later without a case here fails ``test_every_list_page_has_a_paging_case``.
"""

import datetime
import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from salesops.catalog.tests.factories import ProductFactory, WarehouseFactory
from salesops.core.models import NumberSequence
from salesops.core.views_generic import ListPage
from salesops.customers.models import Competitor, Customer, MarketIntel
from salesops.customers.tests.factories import CompetitorFactory, CustomerFactory, MarketIntelFactory
from salesops.deals.models import Contract, Inquiry, PhoneOrder, Quotation, SupportRequest
from salesops.deals.selectors.register import MONTHS_PER_PAGE, ROWS_PER_PAGE
from salesops.expenses.models import CollectionPermit, ExpenseRequest, SpecialFee
from salesops.org.services import api_token_issue
from salesops.receivables.tests.samples import MAKERS as MONEY

pytestmark = pytest.mark.django_db

PER_PAGE = 25  # core.listing.Listing's default page
# Documents made here are numbered in a month no real document reaches (no clash with the counter).
PERIOD = "209901"
ROW = re.compile(r'<tr data-testid="[a-z]*-?row"[^>]*>.*?</tr>', re.DOTALL)


def _customer(staff) -> Customer:
    return CustomerFactory(owner=staff.sales_a, region=staff.region)


def _document_fields(staff, model, n: int) -> dict:
    owner = staff.sales_a
    return {
        "number": f"{model.NUMBER_PREFIX}{PERIOD}{n:04d}",
        "state": "draft",
        "owner": owner,
        "branch": owner.branch,
        "department": owner.department,
    }


def _bulk(model, rows) -> None:
    model.objects.bulk_create(rows)


# --- what each case creates: ``make(staff, count)`` --------------------------------------------


def _customers(staff, count):
    _bulk(Customer, CustomerFactory.build_batch(count, owner=staff.sales_a, region=staff.region))


def _competitors(staff, count):
    _bulk(Competitor, CompetitorFactory.build_batch(count))


def _intel(staff, count):
    _bulk(
        MarketIntel,
        [
            MarketIntelFactory.build(owner=staff.sales_a, region=staff.region, market_facts=f"本地市场需求上升 {n}")
            for n in range(count)
        ],
    )


def _products(staff, count):
    from salesops.catalog.models import Product

    _bulk(Product, ProductFactory.build_batch(count))


def _inquiries(staff, count, customer=None):
    customer = customer or _customer(staff)
    _bulk(
        Inquiry,
        [
            Inquiry(
                **{**_document_fields(staff, Inquiry, n), "state": "reported"},
                customer=customer,
                source="phone",
                title=f"询价 {n}",
                estimated_amount=Decimal("1000.00"),
            )
            for n in range(1, count + 1)
        ],
    )


def _support_requests(staff, count):
    _inquiries(staff, 1)
    inquiry = Inquiry.objects.get()
    due_on = timezone.localdate() + datetime.timedelta(days=3)
    _bulk(
        SupportRequest,
        [
            SupportRequest(
                inquiry=inquiry, kind="technical", question=f"参数问题 {n}", due_on=due_on, requested_by=staff.sales_a
            )
            for n in range(count)
        ],
    )


def _quotations(staff, count, customer=None):
    customer = customer or _customer(staff)
    valid_until = timezone.localdate() + datetime.timedelta(days=30)
    _bulk(
        Quotation,
        [
            Quotation(**_document_fields(staff, Quotation, n), customer=customer, valid_until=valid_until)
            for n in range(1, count + 1)
        ],
    )


def _contracts(staff, count, period=PERIOD):
    customer = _customer(staff)
    _quotations(staff, 1, customer)
    quotation = Quotation.objects.get()
    rows = []
    for n in range(1, count + 1):
        fields = {**_document_fields(staff, Contract, n), "number": f"HT{period}{n:04d}"}
        rows.append(Contract(**fields, quotation=quotation, customer=customer, total_amount=Decimal(n)))
    _bulk(Contract, rows)


def _phone_orders(staff, count):
    customer = _customer(staff)
    _bulk(
        PhoneOrder,
        [
            PhoneOrder(
                **_document_fields(staff, PhoneOrder, n),
                customer=customer,
                channel="phone",
                reason_without_contract="老客户",
            )
            for n in range(1, count + 1)
        ],
    )


def _register_months(staff, count):
    # A contract number drawn ``count - 1`` months ago: the list runs back to that month.
    day = timezone.localdate().replace(day=1)
    for _i in range(count - 1):
        day = (day - datetime.timedelta(days=1)).replace(day=1)
    NumberSequence.objects.create(prefix="HT", period=day.strftime("%Y%m"), last=0)


def _expenses(staff, count):
    _bulk(
        ExpenseRequest,
        [
            ExpenseRequest(
                **_document_fields(staff, ExpenseRequest, n),
                category="travel",
                amount=Decimal("100.00"),
                planned_on=datetime.date(2099, 1, 1),
                purpose=f"拜访客户 {n}",
            )
            for n in range(1, count + 1)
        ],
    )


def _special_fees(staff, count):
    customer = _customer(staff)
    _bulk(
        SpecialFee,
        [
            SpecialFee(
                **_document_fields(staff, SpecialFee, n),
                customer=customer,
                kind="marketing",
                amount=Decimal("100.00"),
                reason=f"展会推广费 {n}",
            )
            for n in range(1, count + 1)
        ],
    )


def _permits(staff, count):
    customer = CustomerFactory(owner=staff.sales_a, region=staff.region, kind="dealer")
    _bulk(
        CollectionPermit,
        [
            CollectionPermit(
                **_document_fields(staff, CollectionPermit, n),
                customer=customer,
                limit_amount=Decimal("1000.00"),
                method="cheque",
                reason=f"经销商支票需当面收取 {n}",
                valid_from=datetime.date(2099, 1, 1),
                valid_until=datetime.date(2099, 1, 31),
            )
            for n in range(1, count + 1)
        ],
    )


def _violations(staff, count):
    from salesops.compliance.models import Violation
    from salesops.compliance.services import current_rule_set

    rule = current_rule_set().rules.get(code="R3")
    _bulk(
        Violation,
        [
            Violation(
                **{**_document_fields(staff, Violation, n), "state": "reviewing"},
                rule=rule,
                rule_code="R3",
                key=f"R3:test:{n}",
                occurred_on=datetime.date(2026, 11, 1) + datetime.timedelta(days=n % 20),
                detail=f"费用先于批准发生 {n}",
                found_by="sweep",
            )
            for n in range(1, count + 1)
        ],
    )


def _proposals(staff, count):
    from salesops.compliance.models import Proposal

    _bulk(
        Proposal,
        [
            Proposal(
                **{**_document_fields(staff, Proposal, n), "owner": staff.manager1},
                person=staff.sales_a,
                kind="reward",
                points=1,
                month="209901",
                reason=f"奖励 {n}",
            )
            for n in range(1, count + 1)
        ],
    )


def _stock(staff, count):
    from salesops.catalog.tests.factories import WarehouseFactory
    from salesops.fulfilment.services import StockLine, stock_put

    store = WarehouseFactory(branch=staff.head_office)
    stock_put(
        [StockLine(ProductFactory(unit="件"), store, Decimal(n)) for n in range(1, count + 1)],
        kind="receipt",
        actor=staff.warehouse,
    )


def _fulfilment(kind):
    """The delivery documents of ``kind``, ``count`` of sales_a's (written in bulk: fulfilment.tests.bulk)."""

    def make(staff, count):
        from salesops.fulfilment.tests.bulk import MAKERS

        MAKERS[kind](staff, count)

    return make


def _unshipped_contracts(staff, count):
    """Contracts signed a month ago with nothing shipped: all overdue (R7)."""
    _contracts(staff, count)
    signed = timezone.localdate() - datetime.timedelta(days=30)
    Contract.objects.filter(number__startswith=f"HT{PERIOD}").update(state="signed", signed_on=signed)


def _unconfirmed(staff, count):
    """Outbounds shipped a month ago without the customer's confirmation."""
    from salesops.fulfilment.models import Outbound
    from salesops.fulfilment.tests.bulk import outbounds

    outbounds(staff, count)
    Outbound.objects.update(shipped_on=timezone.localdate() - datetime.timedelta(days=30))


def _api_tokens(staff, count):
    for _ in range(count):
        api_token_issue(user=staff.boss)


def _instruments(staff, count):
    from salesops.receivables.tests.samples_instruments import bulk

    bulk(staff, count, PERIOD)


def _receivables(kind: str, staff, count):
    from salesops.receivables.tests import bulk

    getattr(bulk, kind)(staff, count, PERIOD)


# A statement campaign at a cut-off no real campaign reaches, under a pk the cases name.
STATEMENT_RUN_PK = 990001


def _statement_run(staff):
    from salesops.receivables.models import StatementRun

    return StatementRun.objects.get_or_create(
        pk=STATEMENT_RUN_PK,
        defaults={
            "period_start": datetime.date(2099, 1, 1),
            "period_end": datetime.date(2099, 6, 30),
            "created_by": staff.finance,
        },
    )[0]


def _statements(state="issued", **extra):
    """``count`` statements of sales_a's customers in one campaign (written in bulk)."""

    def make(staff, count):
        from salesops.receivables.models import Statement

        run = _statement_run(staff)
        _customers(staff, count)
        customers = Customer.objects.order_by("-pk")[:count]
        _bulk(
            Statement,
            [
                Statement(
                    **{**_document_fields(staff, Statement, n), "state": state},
                    run=run,
                    customer=customer,
                    period_start=run.period_start,
                    period_end=run.period_end,
                    **extra,
                )
                for n, customer in enumerate(customers, start=1)
            ],
        )

    return make


def _statement_runs(staff, count):
    from salesops.receivables.models import StatementRun

    StatementRun.objects.bulk_create(
        [
            StatementRun(
                period_start=datetime.date(2000 + n, 1, 1),
                period_end=datetime.date(2000 + n, 6, 30),
                created_by=staff.finance,
            )
            for n in range(count)
        ]
    )


@dataclass(frozen=True)
class Case:
    url_name: str
    make: Callable
    per_page: int = PER_PAGE
    viewer: str = "boss"
    args: tuple = ()
    sort: str = "-created"  # a sort key the list offers ("" for a list without sorting)

    def __str__(self) -> str:
        return self.url_name


CASES = [
    Case("customers:customer-list", _customers, sort="-name"),
    Case("customers:competitor-list", _competitors, sort="-name"),
    Case("customers:intel-list", _intel, sort="-owner"),
    Case("catalog:product-list", _products, sort="-name"),
    Case(
        "catalog:warehouse-list",
        lambda staff, n: WarehouseFactory.create_batch(n, branch=staff.head_office),
        sort="-name",
    ),
    Case("deals:inquiry-list", _inquiries),
    Case("deals:supportrequest-list", _support_requests),
    Case("deals:quotation-list", _quotations),
    Case("deals:contract-list", _contracts),
    Case("deals:contract-list", _contracts, viewer="back_office"),
    Case("deals:phoneorder-list", _phone_orders),
    Case("deals:register-list", _register_months, per_page=MONTHS_PER_PAGE, sort=""),
    Case("deals:register-detail", _contracts, per_page=ROWS_PER_PAGE, args=(PERIOD,), sort=""),
    Case("expenses:expense-list", _expenses),
    Case("expenses:specialfee-list", _special_fees),
    Case("expenses:permit-list", _permits),
    Case("expenses:permit-list", _permits, viewer="back_office", sort="-until"),
    Case("org:api-token-list", _api_tokens, sort=""),
    Case("compliance:violation-list", _violations, sort="-occurred"),
    Case("compliance:violation-list", _violations, viewer="sales_a", sort="rule"),
    Case("compliance:proposal-list", _proposals, viewer="manager1"),
    Case("fulfilment:stock-list", _stock, viewer="sales_a", sort="-quantity"),
    Case("fulfilment:stock-move-list", _stock, viewer="warehouse", sort="-at"),
    Case("fulfilment:requisition-list", _fulfilment("requisition")),
    Case("fulfilment:requisition-list", _fulfilment("requisition"), viewer="sales_a", sort="number"),
    Case("fulfilment:note-list", _fulfilment("note"), viewer="warehouse"),
    Case("fulfilment:outbound-list", _fulfilment("outbound"), viewer="warehouse", sort="customer"),
    Case("fulfilment:confirmation-list", _fulfilment("confirmation"), viewer="back_office"),
    Case("fulfilment:return-list", _fulfilment("return"), viewer="manager1", sort="-number"),
    Case("fulfilment:rednote-list", _fulfilment("rednote"), viewer="warehouse"),
    Case("fulfilment:delay-list", _fulfilment("delay"), sort="customer"),
    Case("fulfilment:shipping-due", _unshipped_contracts, viewer="back_office", sort="number"),
    Case("fulfilment:unconfirmed", _unconfirmed, viewer="back_office", sort="shipped"),
    Case("receivables:accounts", _customers, viewer="finance", sort="-balance"),
    Case("receivables:instrument-list", lambda staff, n: _instruments(staff, n), viewer="finance", sort="-received"),
    Case("receivables:redform-list", lambda staff, n: _receivables("red_forms", staff, n), viewer="sales_a"),
    Case(
        "receivables:dispatch-list",
        lambda staff, n: _receivables("dispatches", staff, n),
        viewer="finance",
        sort="-sent",
    ),
    Case("receivables:invoicerequest-list", MONEY["invoicerequest"], viewer="sales_a", sort="customer"),
    Case("receivables:invoice-list", MONEY["invoice"], viewer="finance", sort="number"),
    Case("receivables:receipt-list", MONEY["receipt"], viewer="sales_a"),
    Case("receivables:paymentrequest-list", MONEY["paymentrequest"], viewer="back_office", sort="-state"),
    Case("receivables:statement-list", _statements(), viewer="finance"),
    Case("receivables:statement-run-list", _statement_runs, viewer="finance"),
    Case("receivables:statement-run", _statements(), viewer="back_office", args=(STATEMENT_RUN_PK,)),
    Case("receivables:statement-run", _statements(), viewer="manager1", args=(STATEMENT_RUN_PK,), sort="-customer"),
    Case(
        "receivables:statement-unanswered",
        _statements("sent", sent_by="post", sent_to="客户财务部", reply_due=datetime.date(2020, 1, 10)),
        viewer="sales_a",
        sort="-due",
    ),
]


def _rows(response) -> list[str]:
    assert response.status_code == 200
    return ROW.findall(response.content.decode())


def _next_link(response) -> str:
    """The query string of the page's "next page" link, as the reader clicks it."""
    found = re.search(r'<a class="page-link" href="\?([^"]*)">[^<]*&raquo;', response.content.decode())
    assert found, "no link to the next page"
    return html.unescape(found.group(1))


@pytest.mark.parametrize("case", CASES, ids=[f"{c.url_name}-{c.viewer}" for c in CASES])
def test_a_list_past_its_first_page_shows_each_page(staff, web_client, case):
    # given a few more rows than one page holds
    case.make(staff, case.per_page + 3)
    client = web_client(getattr(staff, case.viewer))
    url = reverse(case.url_name, args=case.args)
    # when the reader opens the list, then follows its link to the next page
    first_page = client.get(url)
    first = _rows(first_page)
    second_page = client.get(f"{url}?{_next_link(first_page)}")
    second = _rows(second_page)
    # then the first page is full, the second holds the rest, and no row is on both
    assert len(first) == case.per_page
    assert len(second) == 3
    assert not set(first) & set(second)
    assert "2 / 2" in second_page.content.decode()
    # and a page past the last shows the last page, not an error
    assert _rows(client.get(url, {"page": 999})) == second
    if case.sort:
        # and under a sort the next-page link keeps it
        link = _next_link(client.get(url, {"sort": case.sort}))
        assert f"sort={case.sort}" in link and "page=2" in link
        assert len(_rows(client.get(f"{url}?{link}"))) == 3


def _list_routes(patterns, namespace="") -> list[tuple[str, type | None]]:
    found = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found.extend(_list_routes(entry.url_patterns, inner))
        elif isinstance(entry, URLPattern) and entry.name:
            found.append((f"{namespace}{entry.name}", getattr(entry.callback, "view_class", None)))
    return found


# Pages that list something yet need no paging case, and why.
NOT_PAGED = {
    "workflow:my-tasks": "My tasks: each source lists at most 100 open tasks, oldest first",
}


def test_every_list_page_has_a_paging_case():
    """Every route named ``*-list`` or built on ``ListPage`` has a case above."""
    covered = {case.url_name for case in CASES} | set(NOT_PAGED)
    lists = {
        name
        for name, view_class in _list_routes(get_resolver().url_patterns)
        if name.endswith("-list") or (view_class is not None and issubclass(view_class, ListPage))
    }
    assert lists - covered == set()
