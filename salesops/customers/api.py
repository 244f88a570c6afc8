"""REST API of customers, contacts, competitors and market intelligence (R1), under ``/api/customers``.

Every read goes through the selectors (an object outside the caller's scope
is a 404); every write through the services. A role without access gets 403
from the operation's policy.
"""

import datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, File, Query, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from salesops.core.api import Pages, PatchIn, Router, idempotent, sent_fields, versioned_changes
from salesops.core.api_jobs import JobOut, job_answer, refuse_large_export
from salesops.core.excel import xlsx_response
from salesops.core.policy import policy
from salesops.core.services import import_job_start

from . import selectors, services
from .models import CustomerKind, IntelSubject, InvoiceKind, PotentialGrade
from .permissions import (
    COMPETITOR_READERS,
    COMPETITOR_WRITERS,
    CUSTOMER_ASSIGNERS,
    CUSTOMER_READERS,
    CUSTOMER_WRITERS,
    INTEL_AUTHORS,
    INTEL_READERS,
)
from .spreadsheets import customers_to_xlsx

router = Router(tags=["customers"])

Kind = Literal[tuple(CustomerKind.values)]  # type: ignore[valid-type]
Grade = Literal[tuple(PotentialGrade.values)]  # type: ignore[valid-type]
Subject = Literal[tuple(IntelSubject.values)]  # type: ignore[valid-type]
InvoiceKindName = Literal[tuple(InvoiceKind.values)]  # type: ignore[valid-type]
Money = Decimal


# Schemas


class CustomerOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    region_id: int
    region_code: str
    owner_id: int
    owner_username: str
    branch_id: int
    department_id: int | None
    address: str
    phone: str
    credit_days: int
    credit_limit_amount: Money
    industry: str
    scale: str
    decision_maker: str
    demanded_products: str
    yearly_volume: str
    current_supplier: str
    competitor_products: str
    potential_grade: str
    last_visit_on: datetime.date | None
    invoice_title: str
    invoice_buyer_name: str = Field(
        ..., description="The buyer's name a 数电 invoice prints: the invoice title or the name."
    )
    tax_number: str = Field(..., description="统一社会信用代码, upper case, no spaces; empty while not given.")
    default_invoice_kind: str
    invoice_email: str
    invoice_phone: str
    invoice_address_phone: str
    invoice_bank_account: str
    is_active: bool
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_region_code(obj) -> str:
        return obj.region.code

    @staticmethod
    def resolve_owner_username(obj) -> str:
        return obj.owner.username


# Longer than the code's 18 characters: spaces and hyphens in a pasted code are removed by the service.
USCC_HELP = "统一社会信用代码: 18 characters with a valid check character; spaces removed, upper-cased."


class CustomerIn(Schema):
    code: str = Field(..., max_length=30)
    name: str = Field(..., max_length=200)
    kind: Kind
    region_id: int
    owner_id: int | None = None
    address: str = ""
    phone: str = ""
    credit_days: int = Field(0, ge=0)
    credit_limit_amount: Money = Field(Decimal("0"), ge=0, max_digits=14, decimal_places=2)
    industry: str = ""
    scale: str = ""
    decision_maker: str = ""
    demanded_products: str = ""
    yearly_volume: str = ""
    current_supplier: str = ""
    competitor_products: str = ""
    potential_grade: Grade = PotentialGrade.B.value
    last_visit_on: datetime.date | None = None
    is_active: bool = True
    invoice_title: str = Field("", max_length=200)
    tax_number: str = Field("", max_length=40, description=USCC_HELP)
    default_invoice_kind: InvoiceKindName = Field(
        InvoiceKind.ORDINARY.value, description="`special` (数电专票) needs a `tax_number`."
    )
    invoice_email: str = Field("", max_length=254)
    invoice_phone: str = Field("", max_length=50)
    invoice_address_phone: str = Field("", max_length=300)
    invoice_bank_account: str = Field("", max_length=200)


class CustomerPatchIn(Schema):
    """Only the fields sent are changed; ``version`` is the one read (409 when somebody saved since)."""

    version: int
    code: str | None = Field(None, max_length=30)
    name: str | None = Field(None, max_length=200)
    kind: Kind | None = None
    region_id: int | None = None
    address: str | None = None
    phone: str | None = None
    credit_days: int | None = Field(None, ge=0)
    credit_limit_amount: Money | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    industry: str | None = None
    scale: str | None = None
    decision_maker: str | None = None
    demanded_products: str | None = None
    yearly_volume: str | None = None
    current_supplier: str | None = None
    competitor_products: str | None = None
    potential_grade: Grade | None = None
    last_visit_on: datetime.date | None = None
    is_active: bool | None = None
    invoice_title: str | None = Field(None, max_length=200)
    tax_number: str | None = Field(None, max_length=40, description=USCC_HELP)
    default_invoice_kind: InvoiceKindName | None = None
    invoice_email: str | None = Field(None, max_length=254)
    invoice_phone: str | None = Field(None, max_length=50)
    invoice_address_phone: str | None = Field(None, max_length=300)
    invoice_bank_account: str | None = Field(None, max_length=200)


class ReassignIn(Schema):
    owner_id: int
    version: int | None = None


class CustomerFilter(Schema):
    q: str = ""
    kind: Kind | Literal[""] = ""
    region: str = Field("", description="region code")
    owner: str = Field("", description="owner username")
    active: bool | None = None


class ContactOut(Schema):
    id: int
    customer_id: int
    name: str
    title: str
    phone: str
    email: str
    is_decision_maker: bool


class ContactIn(Schema):
    name: str = Field(..., max_length=100)
    title: str = ""
    phone: str = ""
    email: str = ""
    is_decision_maker: bool = False


class ContactPatchIn(PatchIn):
    name: str | None = Field(None, max_length=100)
    title: str | None = None
    phone: str | None = None
    email: str | None = None
    is_decision_maker: bool | None = None


class CompetitorOut(Schema):
    id: int
    name: str
    products: str
    strengths: str
    notes: str


class CompetitorIn(Schema):
    name: str = Field(..., max_length=200)
    products: str = ""
    strengths: str = ""
    notes: str = ""


class CompetitorPatchIn(PatchIn):
    name: str | None = Field(None, max_length=200)
    products: str | None = None
    strengths: str | None = None
    notes: str | None = None


class IntelOut(Schema):
    id: int
    subject: str
    customer_id: int | None
    competitor_id: int | None
    region_id: int
    reported_on: datetime.date
    product_structure: str
    sales_info: str
    market_facts: str
    owner_id: int
    branch_id: int
    department_id: int | None
    created_at: datetime.datetime


class IntelIn(Schema):
    subject: Subject
    customer_id: int | None = None
    competitor_id: int | None = None
    region_id: int | None = None
    reported_on: datetime.date | None = None
    product_structure: str = ""
    sales_info: str = ""
    market_facts: str = ""


# Customers


@router.get("/", response=list[CustomerOut], operation_id="customer_list")
@policy(*CUSTOMER_READERS)
@paginate(Pages)
def customer_list(request, filters: Query[CustomerFilter]):
    """Customers (客户) in the caller's scope, filtered by text, kind, region code, owner, active."""
    return selectors.customer_search(user=request.auth, **filters.model_dump())


@router.get(
    "/export.xlsx",
    operation_id="customer_export",
    openapi_extra={
        "responses": {
            "200": {
                "description": "Excel workbook",
                "content": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}},
            },
            "422": {"description": "More rows than one request writes: POST /api/jobs/exports"},
        }
    },
)
@policy(*CUSTOMER_READERS)
def customer_export(request, filters: Query[CustomerFilter]):
    """The customers the list would return (every page), as .xlsx with Chinese headers; a list longer
    than one request writes is a 422: ask for it with ``POST /api/jobs/exports``."""
    customers = selectors.customer_search(user=request.auth, **filters.model_dump())
    refuse_large_export(customers)
    return xlsx_response(customers_to_xlsx(customers), "customers.xlsx")


@router.post("/import", response={202: JobOut}, operation_id="customer_import")
@policy(*CUSTOMER_ASSIGNERS)
def customer_import(request, file: File[UploadedFile]):
    """Queue an import of customers from an .xlsx (multipart field ``file``) and answer 202 with the
    job at once; ``GET`` its ``status_url`` for the progress, then the count or each bad row and
    column. All rows or none. A file refused as a file (size, type, damaged) is a 422 at once."""
    job = import_job_start(actor=request.auth, kind="customers", upload=file)
    return Status(202, job_answer(job))


@router.post("/", response={201: CustomerOut}, operation_id="customer_create")
@policy(*CUSTOMER_WRITERS)
@idempotent(CustomerOut)
def customer_create(request, payload: CustomerIn):
    """Create a customer; honours ``Idempotency-Key``."""
    # a (status, body) tuple: what core.api.idempotent stores and replays
    return Status(201, services.customer_create(actor=request.auth, **payload.model_dump()))


@router.get("/{int:customer_id}", response=CustomerOut, operation_id="customer_get")
@policy(*CUSTOMER_READERS)
def customer_get(request, customer_id: int):
    return selectors.customer_get_for(user=request.auth, pk=customer_id)


@router.patch("/{int:customer_id}", response=CustomerOut, operation_id="customer_update")
@policy(*CUSTOMER_WRITERS)
def customer_update(request, customer_id: int, payload: CustomerPatchIn):
    """Change the fields sent; 409 when ``version`` is not the current one."""
    customer = selectors.customer_get_for(user=request.auth, pk=customer_id)
    version, fields = versioned_changes(payload)
    return services.customer_update(customer=customer, actor=request.auth, version=version, **fields)


@router.post("/{int:customer_id}/reassign", response=CustomerOut, operation_id="customer_reassign")
@policy(*CUSTOMER_ASSIGNERS)
def customer_reassign(request, customer_id: int, payload: ReassignIn):
    customer = selectors.customer_get_for(user=request.auth, pk=customer_id)
    return services.customer_reassign(
        customer=customer, actor=request.auth, owner_id=payload.owner_id, version=payload.version
    )


# Contacts


@router.get("/{int:customer_id}/contacts", response=list[ContactOut], operation_id="contact_list")
@policy(*CUSTOMER_READERS)
def contact_list(request, customer_id: int):
    return selectors.contact_list(user=request.auth, customer_id=customer_id)


@router.post("/{int:customer_id}/contacts", response={201: ContactOut}, operation_id="contact_create")
@policy(*CUSTOMER_WRITERS)
def contact_create(request, customer_id: int, payload: ContactIn):
    customer = selectors.customer_get_for(user=request.auth, pk=customer_id)
    return Status(201, services.contact_add(customer=customer, actor=request.auth, **payload.model_dump()))


@router.patch("/contacts/{int:contact_id}", response=ContactOut, operation_id="contact_update")
@policy(*CUSTOMER_WRITERS)
def contact_update(request, contact_id: int, payload: ContactPatchIn):
    contact = selectors.contact_get_for(user=request.auth, pk=contact_id)
    return services.contact_update(contact=contact, actor=request.auth, **sent_fields(payload))


# Competitors


@router.get("/competitors", response=list[CompetitorOut], operation_id="competitor_list")
@policy(*COMPETITOR_READERS)
@paginate(Pages)
def competitor_list(request, q: str = ""):
    competitors = selectors.competitor_list(user=request.auth)
    if q.strip():
        competitors = competitors.filter(name__icontains=q.strip()[:100])
    return competitors


@router.post("/competitors", response={201: CompetitorOut}, operation_id="competitor_create")
@policy(*COMPETITOR_WRITERS)
def competitor_create(request, payload: CompetitorIn):
    return Status(201, services.competitor_create(actor=request.auth, **payload.model_dump()))


@router.patch("/competitors/{int:competitor_id}", response=CompetitorOut, operation_id="competitor_update")
@policy(*COMPETITOR_WRITERS)
def competitor_update(request, competitor_id: int, payload: CompetitorPatchIn):
    competitor = selectors.competitor_get_for(user=request.auth, pk=competitor_id)
    return services.competitor_update(competitor=competitor, actor=request.auth, **sent_fields(payload))


# Market intelligence


@router.get("/intel", response=list[IntelOut], operation_id="intel_list")
@policy(*INTEL_READERS)
@paginate(Pages)
def intel_list(request, customer_id: int | None = None):
    """Market intelligence (市场信息, R1) in the caller's scope, newest first."""
    return selectors.intel_list(user=request.auth, customer_id=customer_id)


@router.get("/intel/{int:intel_id}", response=IntelOut, operation_id="intel_get")
@policy(*INTEL_READERS)
def intel_get(request, intel_id: int):
    return selectors.intel_get_for(user=request.auth, pk=intel_id)


@router.post("/intel", response={201: IntelOut}, operation_id="intel_create")
@policy(*INTEL_AUTHORS)
def intel_create(request, payload: IntelIn):
    return Status(201, services.intel_create(actor=request.auth, **payload.model_dump()))
