"""``load_demo``: the demo company, its staff, master data and documents in every state."""

import io
import random
from collections import Counter
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db.models import F
from PIL import Image

from salesops.catalog.models import Product, Warehouse
from salesops.customers.models import Competitor, Contact, Customer, CustomerKind, MarketIntel
from salesops.demo import company as demo
from salesops.expenses.models import CollectionPermit, ExpenseRequest, ExpenseState, SpecialFee, SpecialFeeState
from salesops.org.models import Branch, Company, MajorThreshold, User
from salesops.org.roles import Role
from salesops.workflow.models import ApprovalStep, DocumentEvent, StepStatus

pytestmark = pytest.mark.django_db

EXPECTED_ROLES = {
    "admin": {Role.ADMIN},
    "boss": {Role.LEADERSHIP},
    "manager1": {Role.SALES_MANAGER},
    "manager2": {Role.SALES_MANAGER},
    "branchmgr1": {Role.BRANCH_MANAGER},
    **{f"sales{n}": {Role.SALESPERSON} for n in range(1, 7)},
    "office1": {Role.BACK_OFFICE},
    "warehouse1": {Role.WAREHOUSE},
    "finance1": {Role.FINANCE},
    "tech1": {Role.TECHNICAL},
    "purchase1": {Role.PURCHASING},
}


@pytest.fixture
def loaded():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    models = [
        User,
        Branch,
        Customer,
        Contact,
        Competitor,
        MarketIntel,
        Product,
        Warehouse,
        ExpenseRequest,
        SpecialFee,
        ApprovalStep,
        DocumentEvent,
    ]
    return {m._meta.label: m.objects.count() for m in models}


def _pending_roles(model) -> set[str]:
    return set(
        ApprovalStep.objects.filter(
            content_type=ContentType.objects.get_for_model(model), status=StepStatus.PENDING
        ).values_list("role", flat=True)
    )


def test_prints_a_one_line_summary(loaded):
    assert loaded.count("\n") == 1
    assert "200 customers" in loaded and "100 products" in loaded and "salesops-demo" in loaded


def test_named_users_with_roles_password_and_reporting_line(loaded):
    users = {u.username: u for u in User.objects.prefetch_related("role_links")}
    assert {name: set(users[name].roles) for name in EXPECTED_ROLES} == EXPECTED_ROLES
    assert users["admin"].is_staff
    for user in users.values():
        assert user.check_password(demo.DEMO_PASSWORD), user
        assert user.display_name and user.branch_id
    for n in range(1, 7):
        sales = users[f"sales{n}"]
        assert sales.manager is not None and Role.SALES_MANAGER in sales.manager.roles
        assert sales.department is not None and sales.department.manager_id == sales.manager_id
    assert {u.department.branch.code for u in users.values() if u.username.startswith("sales")} == {"HQ", "QD", "YT"}
    assert users["manager2"].department.branch == users["branchmgr1"].branch
    assert Branch.objects.get(code="QD").manager == users["branchmgr1"]


def test_company_branches_thresholds_and_stamp(loaded):
    company = Company.current()
    assert company.name == demo.COMPANY["name"]
    assert Company.objects.count() == 1
    thresholds = dict(MajorThreshold.objects.filter(company=company).values_list("doc_type", "amount"))
    assert thresholds["expenses.expenserequest"] == Decimal("5000.00")
    assert thresholds["expenses.specialfee"] == Decimal("20000.00")
    assert set(Branch.objects.values_list("name", flat=True)) == {"总部", "青岛分公司", "烟台分公司"}
    assert Branch.objects.filter(is_head_office=True).count() == 1
    with company.stamp.open("rb") as stamp:
        image = Image.open(stamp)
        assert image.format == "PNG" and image.size == (400, 400)


def _lost_quotations() -> int:
    from salesops.deals.models import Quotation

    return Quotation.objects.filter(state="lost").count()


def test_master_data(loaded):
    assert Customer.objects.count() == 200
    kinds = Counter(Customer.objects.values_list("kind", flat=True))
    assert kinds[CustomerKind.DEALER] > 30 and kinds[CustomerKind.END_USER] > 30
    assert Customer.objects.values("name").distinct().count() == 200
    owners = set(Customer.objects.values_list("owner__username", flat=True))
    assert owners == {f"sales{n}" for n in range(1, 7)}
    assert not Customer.objects.exclude(branch=F("owner__branch")).exists()
    assert not Customer.objects.filter(industry="").exists()
    assert not Customer.objects.filter(decision_maker="").exists()
    assert Contact.objects.count() > 100
    assert Competitor.objects.count() == 10
    assert MarketIntel.objects.count() == 40 + _lost_quotations()  # a lost quotation records who won (R1)
    assert Product.objects.count() == 100
    for product in Product.objects.all():
        assert Decimal("0") < product.floor_price <= product.standard_price, product
        assert product.tax_rate == Decimal("0.13")
        assert product.model and product.specification and product.unit and product.technical_parameters
    assert Warehouse.objects.count() == 2


def test_expense_requests_and_special_fees_in_every_state(loaded):
    assert set(ExpenseRequest.objects.values_list("state", flat=True)) == set(ExpenseState.values)
    assert set(SpecialFee.objects.values_list("state", flat=True)) == set(SpecialFeeState.values)
    assert ExpenseRequest.objects.filter(incurred_before_approval=True).exists()  # R3 breach
    # pending both at the manager and at leadership
    assert _pending_roles(ExpenseRequest) == {Role.SALES_MANAGER, Role.LEADERSHIP}
    assert _pending_roles(SpecialFee) == {Role.SALES_MANAGER, Role.LEADERSHIP}
    paid = SpecialFee.objects.filter(state=SpecialFeeState.PAID)
    assert paid.exists() and not paid.filter(paid_on__isnull=True).exists()


def test_dealer_collection_permits_approved_pending_and_closed(loaded):
    permits = CollectionPermit.objects.select_related("customer", "owner")
    assert sorted(permits.values_list("state", flat=True)) == ["approved", "closed", "pending"]
    for permit in permits:
        assert permit.customer.kind == CustomerKind.DEALER and permit.customer.owner == permit.owner
    assert _pending_roles(CollectionPermit) == {Role.SALES_MANAGER}
    assert "3 collection permits" in loaded


@pytest.mark.parametrize("model", [ExpenseRequest, SpecialFee, CollectionPermit])
def test_numbers_are_gapless_and_every_document_has_its_history(loaded, model):
    numbers = sorted(model.objects.values_list("number", flat=True))
    period = numbers[0][2:8]
    assert numbers == [f"{model.NUMBER_PREFIX}{period}{n:04d}" for n in range(1, len(numbers) + 1)]
    content_type = ContentType.objects.get_for_model(model)
    created = set(
        DocumentEvent.objects.filter(content_type=content_type, action="create").values_list("number", flat=True)
    )
    assert created == set(numbers)


def test_second_run_refuses_and_changes_nothing(loaded):
    before = _counts()

    with pytest.raises(CommandError, match="already loaded"):
        call_command("load_demo", stdout=io.StringIO())

    assert _counts() == before


def test_refuses_when_any_demo_user_exists():
    User.objects.create_user(username="sales3", password="x" * 16)

    with pytest.raises(demo.DemoAlreadyLoaded):
        demo.load_demo()

    assert User.objects.count() == 1
    assert not Customer.objects.exists()


def test_same_seed_same_data():
    assert demo._product_rows(random.Random(7)) == demo._product_rows(random.Random(7))
    assert demo.draw_stamp("山东丰禾农业装备有限公司") == demo.draw_stamp("山东丰禾农业装备有限公司")


def test_stamp_without_a_cjk_font_is_ring_and_star(monkeypatch):
    monkeypatch.setattr(demo, "find_cjk_font", lambda: None)

    image = Image.open(io.BytesIO(demo.draw_stamp("山东丰禾农业装备有限公司")))

    assert image.format == "PNG"
    red, _, _, alpha = image.getpixel((200, 200))  # the star's centre
    assert alpha == 255 and red > 150


def test_deals_at_every_stage(loaded):
    from salesops.deals.models import Contract, Inquiry, PhoneOrder, Quotation

    assert {"reported", "declined", "bidding", "lost"} <= set(Inquiry.objects.values_list("state", flat=True))
    assert {"draft", "pending", "issued", "lost"} <= set(Quotation.objects.values_list("state", flat=True))
    assert {"pending", "signed", "archived"} <= set(Contract.objects.values_list("state", flat=True))
    assert Contract.objects.exclude(deviations=[]).exists()
    assert Quotation.objects.filter(is_non_standard=True).exists()
    assert PhoneOrder.objects.filter(state="pending").exists()
