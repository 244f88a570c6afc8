"""The deals pipeline (销售漏斗): inquiry → bid → quotation → negotiation → contract, with the count
and amount of documents at each stage, filterable by salesperson, branch and period (the day the
document was created), always within what the reader may see.

Each deal counts once, at its furthest stage (inquiry → quotation → contract): an inquiry with a
quotation still in play counts as that quotation, a quotation with a contract that is not voided
counts as that contract. Within its type, a document counts by its current state, in exactly one stage:
- inquiries: reported (waiting for the bid decision, or for leadership's instruction on a decision
  to bid or a proposal to decline) and bidding; amount = estimated amount;
- quotations: draft (or returned), under review (or approved, not yet issued), issued (no
  negotiation note yet) and negotiation (issued, with at least one negotiation note); amount = total;
- contracts: draft (or returned), waiting for re-confirmation, confirmed, signed, archived;
  amount = total. Won, lost, withdrawn, superseded, cancelled, declined and voided documents are out
  of the pipeline.

One aggregate query per document type: three queries whatever the data.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..choices import ContractState as C
from ..choices import InquiryState as I
from ..choices import QuotationState as Q_
from ..models import Contract, Inquiry, NegotiationNote, Quotation

CENT = Decimal("0.01")
# The funnel's steps (the issue's "inquiry → bid → quotation → negotiation → contract").
GROUPS = (
    ("inquiry", gettext_lazy("Inquiry")),
    ("bid", gettext_lazy("Bid")),
    ("quotation", gettext_lazy("Quotation")),
    ("negotiation", gettext_lazy("Negotiation")),
    ("contract", gettext_lazy("Contract")),
)


@dataclass(frozen=True)
class StageDef:
    key: str
    group: str
    label: Promise
    states: tuple[str, ...]
    # For the issued quotations: None = any, True = with negotiation notes, False = without.
    negotiated: bool | None = None


INQUIRY_STAGES = (
    StageDef(
        "inquiry_reported",
        "inquiry",
        gettext_lazy("Inquiries reported"),
        (I.REPORTED, I.DECIDING, I.DECLINE_PROPOSED),
    ),
    StageDef("inquiry_bidding", "bid", gettext_lazy("Bidding"), (I.BIDDING,)),
)
# Quotations still in play: while one is, its inquiry counts as the quotation.
LIVE_QUOTATION_STATES = (Q_.DRAFT, Q_.REJECTED, Q_.PENDING, Q_.APPROVED, Q_.ISSUED)
QUOTATION_STAGES = (
    StageDef("quotation_draft", "quotation", gettext_lazy("Quotations in draft"), (Q_.DRAFT, Q_.REJECTED)),
    StageDef("quotation_review", "quotation", gettext_lazy("Quotations under review"), (Q_.PENDING, Q_.APPROVED)),
    StageDef("quotation_issued", "quotation", gettext_lazy("Quotations issued"), (Q_.ISSUED,), negotiated=False),
    StageDef("negotiation", "negotiation", gettext_lazy("In negotiation"), (Q_.ISSUED,), negotiated=True),
)
CONTRACT_STAGES = (
    StageDef("contract_draft", "contract", gettext_lazy("Contracts in draft"), (C.DRAFT, C.REJECTED)),
    StageDef("contract_pending", "contract", gettext_lazy("Contracts waiting for re-confirmation"), (C.PENDING,)),
    StageDef("contract_confirmed", "contract", gettext_lazy("Contracts confirmed"), (C.CONFIRMED,)),
    StageDef("contract_signed", "contract", gettext_lazy("Contracts signed"), (C.SIGNED,)),
    StageDef("contract_archived", "contract", gettext_lazy("Contracts archived"), (C.ARCHIVED,)),
)


@dataclass(frozen=True)
class Stage:
    key: str
    group: str
    label: str
    count: int
    amount: Decimal


def _filtered(
    queryset: QuerySet,
    *,
    salesperson_id: Any,
    branch_id: Any,
    date_from: datetime.date | None,
    date_to: datetime.date | None,
) -> QuerySet:
    if salesperson_id:
        queryset = queryset.filter(owner_id=salesperson_id)
    if branch_id:
        queryset = queryset.filter(branch_id=branch_id)
    # Local calendar days: from the start of date_from to the end of date_to.
    if date_from:
        queryset = queryset.filter(
            created_at__gte=timezone.make_aware(datetime.datetime.combine(date_from, datetime.time.min))
        )
    if date_to:
        next_day = date_to + datetime.timedelta(days=1)
        queryset = queryset.filter(
            created_at__lt=timezone.make_aware(datetime.datetime.combine(next_day, datetime.time.min))
        )
    return queryset


def _condition(stage: StageDef) -> Q:
    condition = Q(state__in=stage.states)
    if stage.negotiated is not None:
        condition &= Q(negotiated=stage.negotiated)
    return condition


def _aggregate(queryset: QuerySet, stages: tuple[StageDef, ...], amount_field: str) -> list[Stage]:
    sums: dict[str, Any] = {}
    for stage in stages:
        sums[f"{stage.key}__n"] = Count("pk", filter=_condition(stage))
        sums[f"{stage.key}__a"] = Sum(amount_field, filter=_condition(stage))
    found = queryset.order_by().aggregate(**sums)
    return [
        Stage(
            key=stage.key,
            group=stage.group,
            label=str(stage.label),
            count=found[f"{stage.key}__n"],
            # SQLite sums decimals without their scale: money always has two places.
            amount=(found[f"{stage.key}__a"] or Decimal("0")).quantize(CENT),
        )
        for stage in stages
    ]


def pipeline(
    *,
    user,
    salesperson_id: Any = None,
    branch_id: Any = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> list[Stage]:
    """The stages in pipeline order, for what ``user`` may see, each deal once (three queries)."""
    scope = {"salesperson_id": salesperson_id, "branch_id": branch_id, "date_from": date_from, "date_to": date_to}
    quoted = Quotation.objects.filter(inquiry=OuterRef("pk"), state__in=LIVE_QUOTATION_STATES)
    inquiries = _filtered(Inquiry.objects.visible_to(user), **scope).exclude(Exists(quoted))
    notes = NegotiationNote.objects.filter(quotation=OuterRef("pk"))
    contracted = Contract.objects.filter(quotation=OuterRef("pk")).exclude(state=C.VOIDED)
    quotations = (
        _filtered(Quotation.objects.visible_to(user), **scope)
        .exclude(Exists(contracted))
        .annotate(negotiated=Exists(notes))
    )
    contracts = _filtered(Contract.objects.visible_to(user), **scope)
    return [
        *_aggregate(inquiries, INQUIRY_STAGES, "estimated_amount"),
        *_aggregate(quotations, QUOTATION_STAGES, "total_amount"),
        *_aggregate(contracts, CONTRACT_STAGES, "total_amount"),
    ]


def pipeline_chart_option(stages: list[Stage]) -> dict[str, Any]:
    """ECharts option: count (bars, left axis) and amount (bars, right axis) per stage; amounts stay
    decimal strings (ECharts reads them as numbers)."""
    return {
        "animation": False,
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [_("Documents"), _("Amount")]},
        "grid": {"left": 60, "right": 80, "top": 40, "bottom": 90},
        "xAxis": {
            "type": "category",
            "data": [stage.label for stage in stages],
            "axisLabel": {"interval": 0, "rotate": 30},
        },
        "yAxis": [
            {"type": "value", "name": _("Documents"), "minInterval": 1},
            {"type": "value", "name": "¥"},
        ],
        "series": [
            {
                "type": "bar",
                "name": _("Documents"),
                "yAxisIndex": 0,
                "barMaxWidth": 40,
                "data": [stage.count for stage in stages],
            },
            {
                "type": "bar",
                "name": _("Amount"),
                "yAxisIndex": 1,
                "barMaxWidth": 40,
                "data": [str(stage.amount) for stage in stages],
            },
        ],
    }


def pipeline_funnel_option(stages: list[Stage]) -> dict[str, Any]:
    """ECharts funnel option: documents per step (inquiry, bid, quotation, negotiation, contract),
    the step's amount in the tooltip's data; steps keep their order whatever their size."""
    counts = {key: 0 for key, _label in GROUPS}
    amounts = {key: Decimal("0.00") for key, _label in GROUPS}
    for stage in stages:
        counts[stage.group] += stage.count
        amounts[stage.group] += stage.amount
    return {
        "animation": False,
        "tooltip": {"trigger": "item"},
        "series": [
            {
                "type": "funnel",
                "name": _("Pipeline"),
                "sort": "none",
                "minSize": "10%",
                "label": {"show": True, "position": "inside"},
                "data": [
                    {"name": str(label), "value": counts[key], "amount": str(amounts[key])} for key, label in GROUPS
                ],
            }
        ],
    }
