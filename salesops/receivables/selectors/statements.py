"""Reads of the statement campaigns (对账, R13): the campaigns, one campaign's statements with their
progress, the statements whose reply is overdue, and what "e-mail all" would send.

Statements are always read through ``Statement.objects.visible_to(user)``: the money office sees
every customer's, a salesperson their own customers', a manager their people's. A campaign itself
(its cut-off and counters) is no one's document and is read by whoever may open the campaign pages.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesops.core.listing import YES_NO, Filter, Listing
from salesops.core.models import Job, JobOperation
from salesops.core.selectors import get_in_scope
from salesops.org.models import User
from salesops.workflow.inbox import TaskItem, document_task

from ..models import Statement, StatementRun, StatementState

TASK_LIMIT = 50
# A campaign's background jobs (``tasks_statements``): prepare every statement, e-mail them, zip the PDFs.
JOB_PREPARE = "receivables.statements-prepare"
JOB_EMAIL = "receivables.statements-email"
JOB_PDFS = "receivables.statements-pdfs"
JOB_KINDS = (JOB_PREPARE, JOB_EMAIL, JOB_PDFS)
# The chart's colour of each figure (as the states' badges: sent warning, agreed success, ...).
COLOURS = {
    "to_send": "#6c757d",
    "awaiting": "#ffc107",
    "overdue": "#fd7e14",
    "agreed": "#198754",
    "disagreed": "#dc3545",
}


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


# --- campaigns ------------------------------------------------------------------------------------


def statement_run_list() -> QuerySet[StatementRun]:
    return StatementRun.objects.select_related("created_by")


def statement_run_listing() -> Listing:
    return Listing(
        search_fields=(),
        orderings={"cutoff": "period_end", "created": "created_at", "customers": "customers"},
        default_ordering="-cutoff",
    )


def statement_run_get(*, pk: Any) -> StatementRun:
    return get_in_scope(statement_run_list(), pk, missing=_("Campaign not found."))


def _campaign_jobs(*, user: User, run: StatementRun) -> QuerySet[Job]:
    """A campaign's jobs the reader may follow: preparing and e-mailing are the campaign's work,
    followed by everyone on its page whoever started them; a zip holds statements of its
    requester's scope, so it is theirs alone (as an export's file)."""
    return (
        Job.objects.filter(operation=JobOperation.BATCH, kind__in=JOB_KINDS, params__run=run.pk)
        .exclude(Q(kind=JOB_PDFS) & ~Q(user=user))
        .select_related("user")
    )


def statement_run_jobs(*, user: User, run: StatementRun) -> dict[str, Job]:
    """The latest job of each kind the reader may follow (one query a kind)."""
    jobs = _campaign_jobs(user=user, run=run)
    latest = {kind: jobs.filter(kind=kind).order_by("-pk").first() for kind in JOB_KINDS}
    return {kind: job for kind, job in latest.items() if job is not None}


def statement_job_get(*, user: User, run: StatementRun, pk: Any) -> Job:
    return get_in_scope(_campaign_jobs(user=user, run=run), pk, missing=_("No such job."))


# --- one campaign's statements --------------------------------------------------------------------


def _overdue(today: datetime.date) -> Q:
    return Q(state=StatementState.SENT, reply_due__lt=today)


def statement_run_statements(*, user: User, run: StatementRun, today: datetime.date | None = None) -> QuerySet:
    """The campaign's statements ``user`` may see, each marked ``is_overdue`` (sent, and its reply
    due before today)."""
    overdue = ExpressionWrapper(_overdue(_today(today)), output_field=BooleanField())
    return (
        Statement.objects.visible_to(user)
        .filter(run=run)
        .select_related("customer", "owner")
        .annotate(is_overdue=overdue)
    )


def _salespeople(rows: QuerySet) -> list[tuple[str, str]]:
    """The owners of ``rows``, as a filter's choices (one query)."""
    owners = User.objects.filter(pk__in=rows.order_by().values("owner_id")).order_by("username")
    return [(str(person.pk), str(person)) for person in owners]


def statement_run_statements_listing(*, user: User, run: StatementRun) -> Listing:
    """Search by number or customer; filter by state, salesperson and overdue reply."""
    return Listing(
        search_fields=("number", "customer__name", "customer__code"),
        orderings={
            "customer": "customer__name",
            "number": "number",
            "closing": "closing_by_invoice",
            "due": "reply_due",
            "state": "state",
            "created": "created_at",
        },
        default_ordering="customer",
        filters=(
            Filter("state", "state", gettext_lazy("State"), list(StatementState.choices)),
            Filter(
                "owner",
                "owner_id",
                gettext_lazy("Salesperson"),
                _salespeople(Statement.objects.visible_to(user).filter(run=run)),
            ),
            Filter("overdue", "is_overdue", gettext_lazy("Reply overdue"), YES_NO),
        ),
        search_key="customer__search_key",
    )


@dataclass(frozen=True)
class RunProgress:
    """A campaign's figures over the statements the reader sees: how many were prepared, are still
    to send, await the reply (in time, or past ``reply_due``), and came back agreed or disagreed."""

    customers: int
    prepared: int
    to_send: int
    awaiting: int
    overdue: int
    agreed: int
    disagreed: int

    @property
    def sent(self) -> int:
        """Sent at some time: awaiting a reply or replied."""
        return self.awaiting + self.overdue + self.agreed + self.disagreed

    @property
    def replied(self) -> int:
        return self.agreed + self.disagreed

    def figures(self) -> list[dict[str, Any]]:
        return [
            {"key": "prepared", "label": _("Prepared"), "value": self.prepared},
            {"key": "sent", "label": _("Sent"), "value": self.sent},
            {"key": "agreed", "label": _("Agreed"), "value": self.agreed},
            {"key": "disagreed", "label": _("Disagreed"), "value": self.disagreed},
            {"key": "overdue", "label": _("Unanswered past the reply date"), "value": self.overdue},
        ]


def statement_run_progress(*, user: User, run: StatementRun, today: datetime.date | None = None) -> RunProgress:
    """One aggregate query over the campaign's statements the reader sees."""
    overdue = _overdue(_today(today))
    sent = Q(state=StatementState.SENT)
    counts = (
        Statement.objects.visible_to(user)
        .filter(run=run)
        .aggregate(
            prepared=Count("pk"),
            to_send=Count("pk", filter=Q(state=StatementState.ISSUED)),
            awaiting=Count("pk", filter=sent & ~overdue),
            overdue=Count("pk", filter=overdue),
            agreed=Count("pk", filter=Q(state=StatementState.AGREED)),
            disagreed=Count("pk", filter=Q(state=StatementState.DISAGREED)),
        )
    )
    return RunProgress(customers=run.customers, **counts)


def statement_run_chart_option(progress: RunProgress) -> dict[str, Any]:
    """ECharts option: where the campaign's statements stand, one slice per stage (a doughnut)."""
    slices = [
        ("to_send", _("To send"), progress.to_send),
        ("awaiting", _("Awaiting the reply"), progress.awaiting),
        ("overdue", _("Unanswered past the reply date"), progress.overdue),
        ("agreed", _("Agreed"), progress.agreed),
        ("disagreed", _("Disagreed"), progress.disagreed),
    ]
    return {
        "animation": False,
        "tooltip": {"trigger": "item", "formatter": "{b}: {c} ({d}%)"},
        "legend": {"bottom": 0},
        "series": [
            {
                "type": "pie",
                "name": _("Statements"),
                "radius": ["40%", "70%"],
                "label": {"show": True, "formatter": "{b}\n{c}"},
                # An empty stage keeps its legend entry but draws no label.
                "data": [
                    {
                        "name": label,
                        "value": value,
                        "itemStyle": {"color": COLOURS[key]},
                        "label": {"show": bool(value)},
                        "labelLine": {"show": bool(value)},
                    }
                    for key, label, value in slices
                ],
            }
        ],
    }


# --- sending ----------------------------------------------------------------------------------------


def statements_to_email(*, user: User, run: StatementRun) -> QuerySet:
    """Prepared, not yet sent, and the customer has an invoice e-mail address: "e-mail all" sends these."""
    return (
        Statement.objects.visible_to(user)
        .filter(run=run, state=StatementState.ISSUED)
        .exclude(customer__invoice_email="")
        .select_related("customer", "owner", "run")
        .order_by("customer__name", "pk")
    )


def statements_to_send_by_hand(*, user: User, run: StatementRun) -> QuerySet:
    """Prepared, not yet sent, and no e-mail address to send to: sent by post, fax or by hand."""
    return (
        Statement.objects.visible_to(user)
        .filter(run=run, state=StatementState.ISSUED, customer__invoice_email="")
        .select_related("customer", "owner")
        .order_by("customer__name", "pk")
    )


# --- replies overdue --------------------------------------------------------------------------------


def unanswered_list(*, user: User, today: datetime.date | None = None) -> QuerySet:
    """Statements sent and not replied after their reply date, as ``user`` sees them."""
    return Statement.objects.visible_to(user).filter(_overdue(_today(today))).select_related("customer", "owner", "run")


def unanswered_listing(*, user: User) -> Listing:
    visible = Statement.objects.visible_to(user).filter(state=StatementState.SENT)
    runs = StatementRun.objects.filter(pk__in=visible.order_by().values("run_id")).order_by("-period_end")
    return Listing(
        search_fields=("number", "customer__name", "customer__code", "sent_to"),
        orderings={
            "due": "reply_due",
            "customer": "customer__name",
            "number": "number",
            "sent": "sent_at",
            "created": "created_at",
        },
        default_ordering="due",
        filters=(
            Filter("owner", "owner_id", gettext_lazy("Salesperson"), _salespeople(visible)),
            Filter("run", "run_id", gettext_lazy("Campaign"), [(str(run.pk), str(run)) for run in runs]),
        ),
        search_key="customer__search_key",
    )


def unanswered_tasks(user: Any) -> list[TaskItem]:
    """My tasks: the user's own customers' statements whose reply is overdue — chase the reply (R13)."""
    rows = (
        Statement.objects.filter(owner=user)
        .filter(_overdue(timezone.localdate()))
        .select_related("customer")
        .order_by("reply_due", "pk")[:TASK_LIMIT]
    )
    return [
        document_task(
            "chase_reply",
            doc,
            since=doc.sent_at,
            detail=_("Chase the customer's reply, due %(day)s") % {"day": doc.reply_due.isoformat()}
            + f" · {doc.task_summary()}",
        )
        for doc in rows
    ]
