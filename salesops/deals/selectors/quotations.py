"""Reads of quotations and tender documents (报价单 / 标书, W2.5-6, R4) and of their negotiation
notes (W3.1-2), always scoped by ``visible_to(user)``. Every revision stays readable."""

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesops.core.listing import YES_NO, Filter, Listing
from salesops.core.selectors import get_in_scope
from salesops.workflow.inbox import TaskItem

from ..choices import PaymentTerms, QuotationState
from ..models import NegotiationNote, Quotation, QuotationLine
from .inquiries import url_of


def quotation_list(*, user) -> QuerySet[Quotation]:
    return Quotation.objects.visible_to(user).select_related("owner", "branch", "customer", "inquiry")


def quotation_get_for(*, user, pk: Any) -> Quotation:
    """The quotation with its lines and products, or NotFound outside the user's scope."""
    lines = Prefetch("lines", queryset=QuotationLine.objects.select_related("product").order_by("pk"))
    found = quotation_list(user=user).select_related("previous", "lost_to").prefetch_related(lines)
    return get_in_scope(found, pk, missing=_("Quotation not found."))


def quotation_revisions(*, user, quotation: Quotation) -> list[Quotation]:
    """Every revision of the quotation the user may see, oldest first (the one given included)."""
    # A revision copies its customer and inquiry, so one query holds the whole chain; it is then
    # followed through ``previous`` in memory.
    family = {
        q.pk: q
        for q in Quotation.objects.filter(customer_id=quotation.customer_id, inquiry_id=quotation.inquiry_id).only(
            "pk", "previous_id"
        )
    }
    following = {q.previous_id: q for q in family.values() if q.previous_id is not None}
    chain = [quotation]
    while chain[0].previous_id in family:
        chain.insert(0, family[chain[0].previous_id])
    while chain[-1].pk in following:
        chain.append(following[chain[-1].pk])
    visible = quotation_list(user=user).in_bulk([q.pk for q in chain])
    return [visible[q.pk] for q in chain if q.pk in visible]


def quotation_listing(*, user=None) -> Listing:
    """Search, filters and sort keys of the quotation list, the same for the page, the export and the API
    (the same for every user)."""
    return Listing(
        search_fields=("number", "customer__name", "inquiry__number", "owner__username", "owner__display_name"),
        orderings={
            "number": "number",
            "created": "created_at",
            "valid": "valid_until",
            "amount": "total_amount",
            "state": "state",
            "customer": "customer__name",
        },
        default_ordering="-created",
        filters=(
            Filter("state", "state", gettext_lazy("State"), list(QuotationState.choices)),
            Filter("payment_terms", "payment_terms", gettext_lazy("Payment terms"), list(PaymentTerms.choices)),
            Filter("non_standard", "is_non_standard", gettext_lazy("Non-standard (R4)"), YES_NO),
        ),
    )


def quotation_tasks(user) -> list[TaskItem]:
    """My tasks for salespeople: their approved quotations waiting to be issued (W2.6)."""
    ready = quotation_list(user=user).filter(owner=user, state=QuotationState.APPROVED).order_by("updated_at")[:100]
    return [
        TaskItem(
            kind="issue_quotation",
            title=_("Issue quotation %(number)s to %(customer)s") % {"number": q.number, "customer": q.customer},
            url=url_of(q),
            since=q.updated_at,
            number=q.number,
        )
        for q in ready
    ]


def negotiation_notes_for(*, user, quotation: Quotation | Any) -> QuerySet[NegotiationNote]:
    """The negotiation rounds (W3.1) of a quotation the user may see, in date order."""
    quotation_id = getattr(quotation, "pk", quotation)
    return (
        NegotiationNote.objects.visible_to(user)
        .filter(quotation_id=quotation_id)
        .select_related("author")
        .order_by("happened_on", "pk")
    )
