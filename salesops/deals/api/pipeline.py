"""The pipeline: counts and amounts per stage, inquiry → bid → quotation → negotiation → contract."""

import datetime

from ninja import Field, Query, Schema

from salesops.core.api import Router
from salesops.core.listing import MAX_DB_INTEGER
from salesops.core.policy import policy

from ..permissions import API_READERS
from ..selectors import pipeline as pipeline_selectors
from .schemas import Money

router = Router()


class StageOut(Schema):
    key: str
    group: str
    label: str
    count: int
    amount: Money


class PipelineFilters(Schema):
    # Ids the database can hold: a larger number is a 422, not an overflow in the query.
    salesperson: int | None = Field(None, ge=1, le=MAX_DB_INTEGER)
    branch: int | None = Field(None, ge=1, le=MAX_DB_INTEGER)
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


@router.get("/pipeline", response=list[StageOut], operation_id="pipeline_get")
@policy(*API_READERS)
def pipeline_get(request, filters: Query[PipelineFilters]):
    """Counts and amounts per stage, inquiry → bid → quotation → negotiation → contract, within scope."""
    return pipeline_selectors.pipeline(
        user=request.auth,
        salesperson_id=filters.salesperson,
        branch_id=filters.branch,
        date_from=filters.date_from,
        date_to=filters.date_to,
    )
