"""Writers of customers, contacts, competitors and market intelligence (R1).

Each checks the actor's role first, runs in one transaction and validates
with the model's own rules; a bad value is an ``InvalidInput`` naming the
field. A customer may be changed by its owner, the owner's sales manager or
the admin; back office and finance only read.
"""

import datetime
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from salesops.core import excel
from salesops.core.errors import Forbidden, InvalidInput, NotFound, StaleEdit, validate
from salesops.core.fields import check_field_names, optional_text_fields, service_names
from salesops.core.policy import require
from salesops.org.models import User
from salesops.workflow.masterdata import save_edit, save_new, save_versioned_edit
from salesops.workflow.services import record_event

from .fields import COMPETITOR_FIELDS, CONTACT_FIELDS, CUSTOMER_FIELDS
from .models import Competitor, Contact, Customer, IntelSubject, MarketIntel
from .permissions import (
    COMPETITOR_WRITERS,
    CUSTOMER_ASSIGNERS,
    CUSTOMER_WRITERS,
    INTEL_AUTHORS,
    OWNER_ROLES,
    can_edit_customer,
)
from .selectors import assignable_owners, competitor_get_for, contact_get_for
from .uscc import normalise as normalise_uscc

# What a writer may set, keyed as these functions take it (``region_id``).
CUSTOMER_SETTABLE = service_names(Customer, CUSTOMER_FIELDS)
CONTACT_SETTABLE = service_names(Contact, CONTACT_FIELDS)
COMPETITOR_SETTABLE = service_names(Competitor, COMPETITOR_FIELDS)


def _normalised(fields: dict[str, Any]) -> dict[str, Any]:
    """The unified social credit code as stored (no spaces, upper case) before it is compared or
    saved, so a re-typed spelling of the same code is no change in the history."""
    if "tax_number" in fields:
        fields["tax_number"] = normalise_uscc(fields["tax_number"])
    return fields


def _editable_customer(actor: User, pk: Any) -> Customer:
    """The customer if the actor may change it: 404 outside their scope, 403 when they may only read it."""
    customer = Customer.objects.visible_to(actor).select_related("owner", "department").filter(pk=pk).first()
    if customer is None:
        raise NotFound(_("Customer not found."))
    if not can_edit_customer(actor, customer):
        raise Forbidden(_("Only the salesperson, their sales manager or the administrator may change this customer."))
    return customer


def _owner_for(actor: User, owner_id: Any) -> User:
    """The owner of a new customer: the actor by default; a sales manager or admin may name one in scope."""
    if owner_id in (None, "", actor.pk):
        if not actor.has_role(*OWNER_ROLES):
            raise InvalidInput(
                _("Choose the salesperson who owns this customer."), fields={"owner": [_("This field is required.")]}
            )
        owner = actor
    elif not actor.has_role(*CUSTOMER_ASSIGNERS):
        raise InvalidInput(
            _("You may only create your own customers."), fields={"owner": [_("You may only choose yourself.")]}
        )
    else:
        owner = assignable_owners(user=actor).filter(pk=owner_id).first()
        if owner is None:
            raise InvalidInput(
                _("Choose a salesperson of your team."), fields={"owner": [_("Not a salesperson of your team.")]}
            )
    if owner.branch_id is None:
        raise InvalidInput(_("The salesperson belongs to no branch."), fields={"owner": [_("No branch set.")]})
    return owner


def _ensure_visible(customer: Customer, actor: User) -> None:
    # NetBox's re-check: a write must leave the row inside the actor's scope, or it is undone.
    if not Customer.objects.visible_to(actor).filter(pk=customer.pk).exists():
        raise Forbidden(_("After this change you could no longer see the customer; nothing was saved."))


@transaction.atomic
def customer_create(*, actor: User, owner_id: int | None = None, **fields: Any) -> Customer:
    """Create a customer (客户). A salesperson creates their own; a sales manager or admin may name
    the owner. Branch and department are the owner's. A customer whose default invoice is the
    数电专票 needs a valid unified social credit code (``Customer.clean``)."""
    require(actor, *CUSTOMER_WRITERS)
    check_field_names(fields, CUSTOMER_SETTABLE)
    owner = _owner_for(actor, owner_id)
    fields = _normalised(fields)
    customer = Customer(owner=owner, branch_id=owner.branch_id, department_id=owner.department_id, **fields)
    validate(customer)
    customer.save()
    _ensure_visible(customer, actor)
    record_event(customer, "create", actor=actor)
    return customer


@transaction.atomic
def customer_update(*, customer: Customer, actor: User, version: int, **fields: Any) -> Customer:
    """Edit a customer's data, RP12 profile and invoicing data; refused (409) when somebody saved it
    since ``version``."""
    require(actor, *CUSTOMER_WRITERS)
    check_field_names(fields, CUSTOMER_SETTABLE)
    current = _editable_customer(actor, customer.pk)
    stale = _("Somebody else saved this customer first; reload it and edit again.")
    return save_versioned_edit(current, _normalised(fields), actor=actor, version=version, stale=stale)


@transaction.atomic
def customer_reassign(*, customer: Customer, actor: User, owner_id: int, version: int | None = None) -> Customer:
    """Give a customer to another salesperson (sales manager or admin); branch and department follow."""
    require(actor, *CUSTOMER_ASSIGNERS)
    current = _editable_customer(actor, customer.pk)
    owner = assignable_owners(user=actor).filter(pk=owner_id).first()
    if owner is None:
        raise InvalidInput(
            _("Choose a salesperson of your team."), fields={"owner": [_("Not a salesperson of your team.")]}
        )
    if owner.branch_id is None:
        raise InvalidInput(_("The salesperson belongs to no branch."), fields={"owner": [_("No branch set.")]})
    previous_owner = current.owner
    rows = Customer.objects.filter(pk=current.pk)
    if version is not None:
        rows = rows.filter(version=version)
    updated = rows.update(
        owner=owner,
        branch_id=owner.branch_id,
        department_id=owner.department_id,
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    if updated != 1:
        raise StaleEdit(_("Somebody else saved this customer first; reload it and edit again."))
    current.refresh_from_db()
    _ensure_visible(current, actor)
    record_event(current, "reassign", actor=actor, changes={"owner": (previous_owner, owner)})
    return current


def customer_import_columns(*, actor: User) -> list[excel.Column]:
    from .spreadsheets import customer_columns

    return customer_columns(owners=lambda: {u.username: u for u in assignable_owners(user=actor)})


def customer_import(*, actor: User, upload: Any, progress: excel.ImportProgress | None = None) -> int:
    """Create customers from an Excel sheet (sales manager or admin), all rows or none."""
    require(actor, *CUSTOMER_ASSIGNERS)
    columns = customer_import_columns(actor=actor)
    text = optional_text_fields(Customer, CUSTOMER_FIELDS)

    def write_row(values: dict[str, Any]) -> Customer:
        owner = values.pop("owner", None)
        region = values.pop("region", None)
        fields = {k: v for k, v in values.items() if v is not None}
        for name in text:
            fields.setdefault(name, "")
        return customer_create(
            actor=actor,
            owner_id=owner.pk if owner else None,
            region_id=region.pk if region else None,
            **fields,
        )

    return excel.import_xlsx(upload, columns, write_row, progress=progress)


@transaction.atomic
def contact_add(*, customer: Customer, actor: User, **fields: Any) -> Contact:
    """Add a contact person (联系人) to a customer the actor may change."""
    require(actor, *CUSTOMER_WRITERS)
    check_field_names(fields, CONTACT_SETTABLE)
    current = _editable_customer(actor, customer.pk)
    contact = Contact(customer=current, **fields)
    return save_new(contact, actor=actor)


@transaction.atomic
def contact_update(*, contact: Contact, actor: User, **fields: Any) -> Contact:
    require(actor, *CUSTOMER_WRITERS)
    check_field_names(fields, CONTACT_SETTABLE)
    current = contact_get_for(user=actor, pk=contact.pk)
    _editable_customer(actor, current.customer_id)
    return save_edit(current, fields, actor=actor)


@transaction.atomic
def competitor_create(*, actor: User, **fields: Any) -> Competitor:
    """Record a competitor (竞争对手) and its products, R1."""
    require(actor, *COMPETITOR_WRITERS)
    check_field_names(fields, COMPETITOR_SETTABLE)
    competitor = Competitor(**fields)
    return save_new(competitor, actor=actor)


@transaction.atomic
def competitor_update(*, competitor: Competitor, actor: User, **fields: Any) -> Competitor:
    require(actor, *COMPETITOR_WRITERS)
    check_field_names(fields, COMPETITOR_SETTABLE)
    current = competitor_get_for(user=actor, pk=competitor.pk)
    return save_edit(current, fields, actor=actor)


@transaction.atomic
def intel_create(
    *,
    actor: User,
    subject: str,
    region_id: int | None = None,
    customer_id: int | None = None,
    competitor_id: int | None = None,
    reported_on: datetime.date | None = None,
    product_structure: str = "",
    sales_info: str = "",
    market_facts: str = "",
) -> MarketIntel:
    """Record market intelligence (市场信息), R1: about a dealer, an end user, a competitor or the
    local market. The author is the actor; branch and department are the actor's."""
    require(actor, *INTEL_AUTHORS)
    errors: dict[str, list[str]] = {}
    customer = None
    if customer_id is not None:
        customer = Customer.objects.visible_to(actor).filter(pk=customer_id).first()
        if customer is None:
            errors["customer"] = [_("Choose one of your customers.")]
    competitor = None
    if competitor_id is not None:
        competitor = Competitor.objects.filter(pk=competitor_id).first()
        if competitor is None:
            errors["competitor"] = [_("Unknown competitor.")]
    if subject == IntelSubject.COMPETITOR and competitor_id is None:
        errors["competitor"] = [_("Choose the competitor.")]
    if subject in (IntelSubject.DEALER, IntelSubject.END_USER):
        if customer_id is None:
            errors["customer"] = [_("Choose the customer.")]
        elif customer is not None and customer.kind != subject:
            errors["customer"] = [_("The customer's kind does not match what the entry is about.")]
    if not (product_structure.strip() or sales_info.strip() or market_facts.strip()):
        errors["market_facts"] = [_("Write what you learned.")]
    if reported_on is not None and reported_on > timezone.localdate():
        errors["reported_on"] = [_("Not in the future.")]
    if actor.branch_id is None:
        errors["owner"] = [_("You belong to no branch.")]
    if region_id is None and customer is not None:
        region_id = customer.region_id
    if errors:
        raise InvalidInput(_("Please correct the errors below."), fields=errors)
    entry = MarketIntel(
        subject=subject,
        customer=customer,
        competitor=competitor,
        region_id=region_id,
        reported_on=reported_on or timezone.localdate(),
        product_structure=product_structure,
        sales_info=sales_info,
        market_facts=market_facts,
        owner=actor,
        branch_id=actor.branch_id,
        department_id=actor.department_id,
    )
    return save_new(entry, actor=actor)
