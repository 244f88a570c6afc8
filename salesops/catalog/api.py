"""REST API of the catalogue under ``/api/catalog``: products (everyone signed in reads; sales
office and admin write) and warehouses. Prices are left out for the roles that may not see them
(``permissions.PRODUCT_FIELDS``)."""

from decimal import Decimal

from ninja import Field, Schema, Status
from ninja.pagination import paginate

from salesops.core.api import Pages, Router, versioned_changes
from salesops.core.fieldvisibility import VisibleFieldsSchema
from salesops.core.policy import AUTHENTICATED, policy

from . import selectors, services
from .models import Product
from .permissions import PRODUCT_WRITERS

router = Router(tags=["catalog"])


class ProductOut(VisibleFieldsSchema):
    """A product; ``standard_price`` and ``floor_price`` only for the roles that may see prices."""

    visibility_model = Product

    id: int
    code: str
    name: str
    model: str
    specification: str
    unit: str
    technical_parameters: str
    standard_price: Decimal | None = Field(None, description="Absent for warehouse, technical and purchasing staff.")
    floor_price: Decimal | None = Field(None, description="Absent for warehouse, technical and purchasing staff.")
    tax_rate: Decimal
    tax_code: str = Field(..., description="税收分类编码: 19 digits, empty while not classified.")
    tax_short_name: str
    invoice_name: str
    invoice_specification: str
    invoice_unit: str
    invoice_line_name: str = Field(..., description="The item name a 数电 invoice prints: `*简称*名称`.")
    invoice_line_specification: str = Field(..., description="规格型号 as the invoice prints it.")
    invoice_line_unit: str = Field(..., description="The unit as the invoice prints it.")
    is_active: bool
    version: int

    @staticmethod
    def resolve_invoice_line_name(obj: Product) -> str:
        return obj.invoice_line_name()

    @staticmethod
    def resolve_invoice_line_specification(obj: Product) -> str:
        return obj.invoice_line_specification()

    @staticmethod
    def resolve_invoice_line_unit(obj: Product) -> str:
        return obj.invoice_line_unit()


class ProductIn(Schema):
    code: str = Field(..., max_length=30)
    name: str = Field(..., max_length=200)
    model: str = ""
    specification: str = ""
    unit: str = Field(..., max_length=20)
    technical_parameters: str = ""
    standard_price: Decimal = Field(..., ge=0, max_digits=14, decimal_places=2)
    floor_price: Decimal = Field(..., ge=0, max_digits=14, decimal_places=2)
    tax_rate: Decimal = Field(Decimal("0.13"), ge=0, le=1, max_digits=5, decimal_places=4)
    tax_code: str = Field("", max_length=19, description="税收分类编码: exactly 19 digits, or empty.")
    tax_short_name: str = Field("", max_length=40, description="Required with a `tax_code`; no asterisks.")
    invoice_name: str = Field("", max_length=200, description="Empty: the invoice prints `name`.")
    invoice_specification: str = Field("", max_length=200, description="Empty: model and specification.")
    invoice_unit: str = Field("", max_length=20, description="Empty: `unit`.")
    is_active: bool = True


class ProductPatchIn(Schema):
    """Only the fields sent are changed; ``version`` is the one read (409 when somebody saved since)."""

    version: int
    code: str | None = Field(None, max_length=30)
    name: str | None = Field(None, max_length=200)
    model: str | None = None
    specification: str | None = None
    unit: str | None = Field(None, max_length=20)
    technical_parameters: str | None = None
    standard_price: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    floor_price: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    tax_rate: Decimal | None = Field(None, ge=0, le=1, max_digits=5, decimal_places=4)
    tax_code: str | None = Field(None, max_length=19)
    tax_short_name: str | None = Field(None, max_length=40)
    invoice_name: str | None = Field(None, max_length=200)
    invoice_specification: str | None = Field(None, max_length=200)
    invoice_unit: str | None = Field(None, max_length=20)
    is_active: bool | None = None


class WarehouseOut(Schema):
    id: int
    code: str
    name: str
    branch_id: int
    address: str
    keeper_id: int | None
    is_active: bool


@router.get("/products", response=list[ProductOut], operation_id="product_list")
@policy(AUTHENTICATED)
@paginate(Pages)
def product_list(request, q: str = "", active: bool | None = None):
    """Products (产品): code, model, specification, prices."""
    return selectors.product_search(user=request.auth, q=q, active=active)


@router.get("/products/{int:product_id}", response=ProductOut, operation_id="product_get")
@policy(AUTHENTICATED)
def product_get(request, product_id: int):
    return selectors.product_get_for(user=request.auth, pk=product_id)


@router.post("/products", response={201: ProductOut}, operation_id="product_create")
@policy(*PRODUCT_WRITERS)
def product_create(request, payload: ProductIn):
    return Status(201, services.product_create(actor=request.auth, **payload.model_dump()))


@router.patch("/products/{int:product_id}", response=ProductOut, operation_id="product_update")
@policy(*PRODUCT_WRITERS)
def product_update(request, product_id: int, payload: ProductPatchIn):
    product = selectors.product_get_for(user=request.auth, pk=product_id)
    version, fields = versioned_changes(payload)
    return services.product_update(product=product, actor=request.auth, version=version, **fields)


@router.get("/warehouses", response=list[WarehouseOut], operation_id="warehouse_list")
@policy(AUTHENTICATED)
@paginate(Pages)
def warehouse_list(request):
    """Warehouses (仓库)."""
    return selectors.warehouse_list(user=request.auth)
