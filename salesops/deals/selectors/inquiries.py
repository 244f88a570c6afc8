"""Reads of inquiries and tenders (询价 / 招标, W2.1) and of their support requests (W2.3-4).

Every read starts from ``visible_to(user)``: a salesperson sees their own inquiries, a manager
their department or branch; technical and purchasing see no inquiry, only the support requests
addressed to them (with the inquiry's customer and lines they need to answer).
"""

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesops.core.listing import YES_NO, Filter, Listing
from salesops.core.selectors import get_in_scope
from salesops.workflow.inbox import TaskItem

from ..choices import InquiryKind, InquirySource, InquiryState, SupportKind, SupportState
from ..models import Inquiry, InquiryLine, SupportRequest
from ..permissions import BID_DECIDERS, DEPARTMENT_KINDS


def url_of(obj) -> str:
    """The object's page, or "" while the deals pages are not routed."""
    try:
        return obj.get_absolute_url()
    except (AttributeError, NoReverseMatch):
        return ""


def support_request_url(request: SupportRequest) -> str:
    """Technical and purchasing open a request on its own page (they cannot open the inquiry)."""
    try:
        return reverse("deals:supportrequest-detail", args=[request.pk])
    except NoReverseMatch:
        return ""


def _lines() -> Prefetch:
    return Prefetch("lines", queryset=InquiryLine.objects.select_related("product").order_by("pk"))


def inquiry_list(*, user) -> QuerySet[Inquiry]:
    return Inquiry.objects.visible_to(user).select_related("owner", "branch", "customer")


def inquiry_get_for(*, user, pk: Any) -> Inquiry:
    """The inquiry with its lines, or NotFound outside the user's scope (its existence is not revealed)."""
    return get_in_scope(inquiry_list(user=user).prefetch_related(_lines()), pk, missing=_("Inquiry not found."))


def inquiry_listing() -> Listing:
    """Search, filters and sort keys of the inquiry list, the same for the page, the export and the API."""
    return Listing(
        search_fields=("number", "title", "customer__name", "owner__username", "owner__display_name"),
        orderings={
            "number": "number",
            "created": "created_at",
            "deadline": "deadline_on",
            "amount": "estimated_amount",
            "state": "state",
            "customer": "customer__name",
        },
        default_ordering="-created",
        filters=(
            Filter("state", "state", gettext_lazy("State"), list(InquiryState.choices)),
            Filter("kind", "kind", gettext_lazy("Kind"), list(InquiryKind.choices)),
            Filter("source", "source", gettext_lazy("Source"), list(InquirySource.choices)),
            Filter("major", "is_flagged_major", gettext_lazy("Major (flagged)"), YES_NO),
        ),
    )


def support_request_listing() -> Listing:
    """Search, filters and sort keys of the support request list (the page)."""
    return Listing(
        search_fields=("inquiry__number", "inquiry__customer__name", "inquiry__title", "question"),
        orderings={"due": "due_on", "created": "created_at", "state": "state", "kind": "kind"},
        default_ordering="due",
        filters=(
            Filter("state", "state", gettext_lazy("State"), list(SupportState.choices)),
            Filter("kind", "kind", gettext_lazy("Addressed to"), list(SupportKind.choices)),
        ),
    )


def _support_requests(user) -> QuerySet[SupportRequest]:
    return SupportRequest.objects.visible_to(user).select_related(
        "inquiry", "inquiry__customer", "inquiry__owner", "requested_by", "answered_by"
    )


def support_request_list(*, user, state: str | None = None) -> QuerySet[SupportRequest]:
    """The requests addressed to the user's department (technical or purchasing), with the inquiry's
    lines to answer them; for anyone else, the requests of the inquiries they see. Earliest due first."""
    requests = _support_requests(user).prefetch_related(
        Prefetch("inquiry__lines", queryset=InquiryLine.objects.select_related("product").order_by("pk"))
    )
    kinds = [kind for role, kind in DEPARTMENT_KINDS.items() if user.has_role(role)] if user.is_authenticated else []
    if kinds:
        requests = requests.filter(kind__in=kinds)
    if state:
        requests = requests.filter(state=state)
    return requests.order_by("due_on", "pk")


def support_requests_for_inquiry(*, user, inquiry_id: Any) -> QuerySet[SupportRequest]:
    """The support requests of one inquiry that the user may see (all of them for its salesperson and
    managers; technical and purchasing only those addressed to them)."""
    return _support_requests(user).filter(inquiry_id=inquiry_id).order_by("created_at", "pk")


def support_request_get_for(*, user, pk: Any) -> SupportRequest:
    return get_in_scope(_support_requests(user), pk, missing=_("Support request not found."))


def support_request_tasks(user) -> list[TaskItem]:
    """My tasks for technical and purchasing: open requests addressed to them, earliest due first."""
    if not user.has_role(*DEPARTMENT_KINDS):
        return []
    requests = support_request_list(user=user, state=SupportState.OPEN)[:100]
    return [
        TaskItem(
            kind="support_request",
            title=_("Answer %(kind)s for %(number)s (%(customer)s) by %(due)s")
            % {
                "kind": request.get_kind_display(),
                "number": request.inquiry.number,
                "customer": request.inquiry.customer,
                "due": request.due_on.isoformat(),
            },
            url=support_request_url(request),
            since=request.created_at,
            number=request.inquiry.number,
            detail=request.question[:200],
        )
        for request in requests
    ]


def inquiry_tasks(user) -> list[TaskItem]:
    """My tasks for managers: inquiries reported and waiting for the bid decision (W2.1)."""
    if not user.has_role(*BID_DECIDERS):
        return []
    waiting = inquiry_list(user=user).filter(state=InquiryState.REPORTED).order_by("created_at")
    items = []
    for inquiry in waiting[:100]:
        items.append(
            TaskItem(
                kind="bid_decision",
                title=_("Decide whether to bid: %(number)s %(customer)s, %(title)s")
                % {"number": inquiry.number, "customer": inquiry.customer, "title": inquiry.title},
                url=url_of(inquiry),
                since=inquiry.created_at,
                number=inquiry.number,
            )
        )
    return items
