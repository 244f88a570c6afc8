"""The only writers of documents' kernel fields: create, edit, transition, comment, attach.

Each runs in one transaction, checks the actor first, and writes its audit
event in the same transaction (a refused action leaves nothing behind).
"""

import copy
import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connections, transaction
from django.db.models import Exists, F, ForeignKey, Model, QuerySet
from django.db.models.constants import OnConflict
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from salesops.core.errors import (
    Forbidden,
    InvalidInput,
    NotFound,
    StaleEdit,
    TransitionNotAllowed,
    field_errors,
    validate,
)
from salesops.core.middleware import current_request_id
from salesops.core.numbering import next_number
from salesops.core.selectors import by_key
from salesops.org.models import User

from . import approvals, rules
from .flows import Flow
from .models import (
    ApprovalStep,
    Comment,
    Document,
    DocumentEvent,
    FlowRecord,
    Notification,
    StepStatus,
    held_events,
    kernel_write,
    write_held_events,
)
from .permissions import REROUTERS

logger = logging.getLogger("salesops.workflow")

D = TypeVar("D", bound=Document)
M = TypeVar("M", bound=Model)
# What ``transition`` moves: a numbered document, or a flow-driven row without a number, and the
# columns it saves besides the action's values.
R = TypeVar("R", bound=Document | FlowRecord)
KERNEL_FIELDS = ("state", "version", "void_reason", "updated_at")
FLOW_RECORD_FIELDS = ("state", "version", "updated_at")


@contextmanager
def joined_atomic() -> Iterator[None]:
    """The caller's transaction when there is one (a service's), else a new one.

    The kernel's writers refuse before they write anything, so inside a service's transaction
    they need no savepoint of their own: a refusal propagates and the service's transaction (or,
    in tests, its savepoint) undoes the whole service call."""
    if transaction.get_connection().in_atomic_block:
        yield
    else:
        with transaction.atomic():
            yield


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value


def record_event(
    doc: Any,
    action: str,
    *,
    actor: User | None,
    from_state: str = "",
    to_state: str = "",
    comment: str = "",
    changes: dict | None = None,
) -> DocumentEvent:
    """Append the audit event for a change to ``doc`` (any model: documents and master data alike);
    inside ``events_together`` it is held and written with the others at the end."""
    event = DocumentEvent(
        content_type=ContentType.objects.get_for_model(doc),
        object_id=doc.pk,
        number=(getattr(doc, "number", "") or getattr(doc, "code", ""))[:24],
        action=action,
        from_state=from_state,
        to_state=to_state,
        actor=actor,
        comment=comment,
        changes={k: [_jsonable(a), _jsonable(b)] for k, (a, b) in (changes or {}).items()},
        request_id=current_request_id.get(),
    )
    held = held_events.get()
    if held is None:
        event.save()
    else:
        held.append(event)
    return event


def _notify_chosen(users: QuerySet[User], text: str, url: str, dedupe_key: str | None) -> None:
    connection = connections[users.db]
    ops = connection.ops
    ignore = OnConflict.IGNORE if dedupe_key is not None else None
    chosen, params = users.values("pk").query.sql_with_params()
    columns = ", ".join(ops.quote_name(name) for name in ("user_id", "text", "url", "created_at", "dedupe_key"))
    sql = (
        f"{ops.insert_statement(on_conflict=ignore)} {ops.quote_name(Notification._meta.db_table)} ({columns}) "
        f"SELECT chosen.{ops.quote_name('pk')}, %s, %s, %s, %s FROM ({chosen}) chosen "
        f"{ops.on_conflict_suffix_sql([], ignore, [], [])}"
    )
    now = ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(sql, (text, url, now, dedupe_key, *params))


@contextmanager
def events_together() -> Iterator[None]:
    """Hold the audit events of the actions inside and write them in one INSERT as the block ends
    (a service taking several actions: a signing attaches the scan and closes the quotation and the
    inquiry). Use it inside the service's transaction, around a body whose refusals end the whole
    service: an event held for an action rolled back in a savepoint and survived would still be
    written. Nested, the outermost writes."""
    if held_events.get() is not None:
        yield
        return
    token = held_events.set([])
    try:
        yield
        write_held_events()
    finally:
        held_events.reset(token)


def notify(
    users: Iterable[User | int] | QuerySet[User], text: str, *, url: str = "", dedupe_key: str | None = None
) -> None:
    """Tell ``users``: people, their ids, or a query choosing them (then one INSERT … SELECT tells
    them all without reading them first). A ``dedupe_key`` tells each person once."""
    if isinstance(users, QuerySet):
        _notify_chosen(users, text[:300], url, dedupe_key)
        return
    rows = [
        Notification(user_id=u if isinstance(u, int) else u.pk, text=text[:300], url=url, dedupe_key=dedupe_key)
        for u in users
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=dedupe_key is not None)


def document_create(model: type[D], *, flow: Flow, actor: User | None, owner: User, **fields: Any) -> D:
    """Create a numbered document in the flow's initial state, owned by ``owner``; ``actor`` None is
    the system (the compliance engine's findings)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("document_create() must run inside the service's transaction")
    if owner.branch_id is None:
        raise InvalidInput(_("The owner belongs to no branch."), fields={"owner": [_("No branch set.")]})
    doc = model(
        owner=owner,
        branch_id=owner.branch_id,
        department_id=owner.department_id,
        state=flow.initial,
        number=next_number(model.NUMBER_PREFIX),
        **fields,
    )
    # The owner's branch and department, when the caller has read them, travel with the document
    # (a chain routed to the branch's manager reads nothing more).
    for relation in ("branch", "department"):
        if getattr(User, relation).is_cached(owner):
            setattr(doc, relation, getattr(owner, relation))
    with field_errors():
        # The owner's branch and department are the owner's own rows: no need to prove they exist.
        # Check and unique constraints are left to the database (Django would ask it first, one
        # query each); a breach there is refused below like any other bad input.
        doc.full_clean(
            exclude=["number", "state", "branch", "department", *_loaded_relations(doc)],
            validate_unique=False,
            validate_constraints=False,
        )
    try:
        doc.save()
    except IntegrityError as exc:
        # The database's own words (constraint names, values) are for the log, not for people.
        logger.warning("document_create refused by the database: %s", exc)
        taken = _unique_field_taken(doc, exc)
        if taken is not None:
            message = doc.unique_error_message(model, (taken,)).messages[0]
            raise InvalidInput(message, fields={taken: [message]}) from exc
        raise InvalidInput(_("These values break a rule of this document; check them and save again.")) from exc
    record_event(doc, "create", actor=actor, to_state=doc.state)
    rules.document_acted(doc, "create")
    return doc


def _unique_field_taken(doc: Document, exc: IntegrityError) -> str | None:
    """The unique field whose value another row already has, from the database's refusal
    (PostgreSQL: ``Key (column)=(…) already exists``; SQLite: ``UNIQUE constraint failed: table.column``)."""
    text = str(exc)
    table = doc._meta.db_table
    for column in doc._meta.concrete_fields:
        named = f"({column.column})=" in text or f"{table}.{column.column}" in text
        if column.unique and not column.primary_key and named:
            return column.name
    return None


def _loaded_relations(doc: Document) -> list[str]:
    """Foreign keys set from rows the service already read: ``full_clean`` would query each one
    again to prove it exists (the database's foreign key constraint still guards them)."""
    return [
        field.name
        for field in doc._meta.concrete_fields
        if isinstance(field, ForeignKey) and field.is_cached(doc) and getattr(doc, field.name) is not None
    ]


def versioned_write(
    obj: M,
    fields: dict[str, Any],
    *,
    actor: User,
    version: int,
    stale: str,
    more_changes: dict[str, tuple[Any, Any]] | None = None,
    exclude: Iterable[str] = (),
) -> M:
    """The one versioned writer, for documents and master data alike: set ``fields``, validate with
    the model's own rules, and write them only while the row is still at the ``version`` the editor
    read (then one up); otherwise ``StaleEdit(stale)`` (409) and nothing is written. One ``edit``
    event names every change, ``more_changes`` included (e.g. the lines the caller replaces)."""
    changes = changed_fields(obj, fields)
    for name, value in fields.items():
        setattr(obj, name, value)
    validate(obj, exclude=list(exclude))
    values = {name: getattr(obj, name) for name in fields}
    # update() skips auto_now fields: stamp them as save() would.
    values.update({f.attname: timezone.now() for f in obj._meta.concrete_fields if getattr(f, "auto_now", False)})
    # Columns derived from others on save (search keys) are derived here too.
    values.update(
        {f.attname: f.pre_save(obj, False) for f in obj._meta.concrete_fields if getattr(f, "computed_on_save", False)}
    )
    updated = type(obj)._default_manager.filter(pk=obj.pk, version=version).update(**values, version=F("version") + 1)
    if updated != 1:
        raise StaleEdit(stale)
    # Read back as stored (decimals at their column's scale, the new version).
    obj.refresh_from_db()
    changes.update(more_changes or {})
    if changes:
        state = getattr(obj, "state", "")
        record_event(obj, "edit", actor=actor, from_state=state, to_state=state, changes=changes)
    return obj


def document_update(
    doc: D,
    *,
    flow: Flow,
    actor: User,
    version: int,
    fields: dict[str, Any],
    more_changes: dict[str, tuple[Any, Any]] | None = None,
) -> D:
    """Edit a document in an editable state; a stale ``version`` is refused (409)."""
    model = type(doc)
    with joined_atomic():
        current = model.objects.visible_to(actor).filter(pk=doc.pk).first()
        if current is None:
            raise NotFound(_("Document not found."))
        if current.owner_id != actor.pk and "admin" not in actor.roles:
            raise Forbidden(_("Only the owner may edit this document."))
        if current.state not in flow.editable_states:
            raise TransitionNotAllowed(
                _("The document can no longer be edited in state %(state)s.") % {"state": current.state}
            )
        return versioned_write(
            current,
            fields,
            actor=actor,
            version=version,
            stale=_("Somebody else saved this document first; reload it and edit again."),
            more_changes=more_changes,
            exclude=["number", "state"],
        )


def transition(
    flow: Flow,
    doc: R,
    action: str,
    *,
    actor: User,
    comment: str = "",
    values: dict[str, Any] | Callable[[Any], dict[str, Any]] | None = None,
    related: tuple[str, ...] = (),
    comment_field: str = "comment",
) -> R:
    """Take ``action`` on ``doc`` for ``actor``: check state, actor and guard, approve, save, audit.

    ``values`` are the fields that go with this state change (issued at, signed on, a decline
    reason...): saved with the state in the same write and named in the same audit event. A callable
    ``values(row)`` derives them from the row (an R4 flag, a contract's deviations); they are set on
    the row before the guard and the approval chain see it. ``related`` are relations read with the
    row when it is read here (the summary's customer). ``comment_field`` names the input the comment
    came from, for the 422 of a missing reason.

    Every refusal comes before the first write: unknown action, state, actor, missing reason, guard
    (approval decisions included), the decider.

    A ``doc`` read from the database (a page's, a service's) is taken as read: the first write is a
    conditional UPDATE of the row that claims it only while it is still at that version and visible
    to the actor, and the rest follows. When the claim finds the row moved on, or the row as read
    refuses the action, the row is read again, locked, and the action taken (or refused) on that:
    the outcome is the same as always locking first, one statement cheaper on the usual path.

    ``doc`` is a numbered ``Document`` or a ``FlowRecord`` (a row without number, owner or approval
    chain: its state, version, ``updated_at`` and ``values`` are saved and the event recorded the
    same way; no void reason, no owner to tell, and no approval-chain action)."""
    model: Any = type(doc)  # a Document's or a FlowRecord's ``visible_to`` queryset
    is_document = isinstance(doc, Document)
    if not is_document:
        t = flow.get(action)
        if t is not None and t.approval is not None:
            # A declaration error, not a user's: approval chains live on numbered documents.
            raise TypeError(
                f"{model.__name__} is not a workflow.Document: its flow cannot take the approval action {action!r}"
            )
    move = _Move(flow, action, actor=actor, comment=comment, values=values, comment_field=comment_field)
    with joined_atomic():
        if actor.is_authenticated and _read_whole(doc) and _has_related(doc, related):
            taken = move.take(copy.copy(doc), claim=True)
            if taken is not None:
                return taken
        # The row as the actor may see it, locked (only the document's own row: ``of=("self",)``).
        locked = by_key(
            model.objects.visible_to(actor)
            .select_for_update(of=("self",))
            .select_related(*(("owner",) if is_document else ()), *related)
            .filter(pk=doc.pk)
        )
        if locked is None:
            if is_document:
                raise NotFound(_("Document not found."))
            raise NotFound(_("%(name)s not found.") % {"name": capfirst(model._meta.verbose_name)})
        taken = move.take(locked, claim=False)
        assert taken is not None  # only a claim gives way
        return taken


def _read_whole(row: Model) -> bool:
    """Whether ``row`` was read from the database with every column (not a stand-in ``Model(pk=…)``)."""
    return not row._state.adding and row._state.db is not None and not row.get_deferred_fields()


def _has_related(row: Model, related: tuple[str, ...]) -> bool:
    """Whether the relations ``related`` (``customer__owner``) are already on ``row``: else the locked
    read joins them, one statement where reading them one by one would take several."""
    for path in related:
        obj: Any = row
        for name in path.split("__"):
            field: Any = obj._meta.get_field(name)
            if not field.is_cached(obj):
                return False
            obj = getattr(obj, name)
            if obj is None:
                break
    return True


@dataclass
class _Move:
    """One action on one row: the checks, the writes, and the claim that orders them (``transition``)."""

    flow: Flow
    action: str
    actor: User
    comment: str
    values: dict[str, Any] | Callable[[Any], dict[str, Any]] | None
    comment_field: str

    def take(self, row: Any, *, claim: bool) -> Any:
        """Take the action on ``row``. With ``claim`` the row is as a caller read it: any refusal, or
        a claim the database does not grant, gives way (None) to the locked read."""
        try:
            plan = self._check(row)
        except (TransitionNotAllowed, Forbidden, InvalidInput):
            if claim:
                return None
            raise
        return self._write(row, plan, claim=claim)

    def _check(self, row: Any) -> "_Plan":
        """Every check and every read, nothing written; the row gets its new state and values."""
        flow, actor, is_document = self.flow, self.actor, isinstance(row, Document)
        t = flow.get(self.action)
        if t is None:
            raise TransitionNotAllowed(_("Unknown action."))
        if row.state not in t.sources:
            raise TransitionNotAllowed(
                _("This action is not possible while the document is %(state)s.")
                % {"state": row.get_state_display() if hasattr(row, "get_state_display") else row.state}
            )
        deciding = t.approval in ("approve", "reject")
        if not deciding and not t.actor_allowed(row, actor):
            raise Forbidden(_("Your role may not do this."))
        if t.needs_comment and not self.comment.strip():
            raise InvalidInput(_("Please give a reason."), fields={self.comment_field: [_("This field is required.")]})
        fields = self.values(row) if callable(self.values) else (self.values or {})
        changes = changed_fields(row, fields)
        for name, value in fields.items():
            setattr(row, name, value)
        plan = _Plan(before=row.state, fields=fields, changes=changes)
        # A guard holds a decision as it holds any other action (a violation nobody was told of
        # cannot be confirmed), before anything is written.
        if t.guard is not None:
            refusal = t.guard(row)
            if refusal:
                raise TransitionNotAllowed(refusal)
        if t.approval in ("approve", "reject"):  # deciding (spelled out for the type checker)
            plan.decision = _decision(row, t.approval, actor=actor)
            plan.after_decision(row, t.approval, t.target)
            if plan.decision.as_read:
                plan.claim_also.append(Exists(plan.decision.still_as_read()))
        else:
            row.state = t.target
            if t.voids and is_document:
                row.void_reason = self.comment
                plan.cancel_steps = True  # a voided document waits for nobody
            if t.approval == "start":
                plan.chain = approvals.plan_steps(row)
                if not plan.chain.steps and flow.approved_state:
                    row.state = flow.approved_state
        if flow.approval_stamp and row.state == flow.approved_state and plan.before != row.state:
            stamp = {flow.approval_stamp: timezone.now()}
            plan.changes.update(changed_fields(row, stamp))
            setattr(row, flow.approval_stamp, stamp[flow.approval_stamp])
            plan.fields = {**plan.fields, **stamp}
        return plan

    def _write(self, row: Any, plan: "_Plan", *, claim: bool) -> Any:
        is_document = isinstance(row, Document)
        columns = [*(KERNEL_FIELDS if is_document else FLOW_RECORD_FIELDS), *plan.fields]
        row.version += 1
        if claim:
            # The first write claims the row: still at the version read, still visible to the actor.
            row.updated_at = timezone.now()
            claimed = (
                type(row)
                .objects.visible_to(self.actor)
                .filter(pk=row.pk, version=row.version - 1)
                .filter(*plan.claim_also)
                .update(**{name: getattr(row, name) for name in columns})
            )
            if claimed != 1:
                return None
        else:
            with kernel_write():
                row.save(update_fields=columns)
        if plan.decision is not None:
            plan.decision.write(row, self.comment, self.actor)
        if plan.cancel_steps:
            approvals.cancel_open_steps(row)
        if plan.chain is not None:
            steps = approvals.write_chain(row, plan.chain)
            if steps:
                _notify_step(row, steps[0])
        record_event(
            row,
            self.action,
            actor=self.actor,
            from_state=plan.before,
            to_state=row.state,
            comment=self.comment,
            changes=plan.changes,
        )
        rules.document_acted(row, self.action)
        if is_document and row.state != plan.before and row.owner_id != self.actor.pk:
            notify(
                [row.owner_id],
                _("%(number)s is now %(state)s") % {"number": row.number, "state": _state_label(row)},
                url=_url_of(row),
            )
        return row


@dataclass
class _Decision:
    """An approval decision as checked: the pending step, and the one to open after an approval."""

    decision: str
    step: ApprovalStep
    following: ApprovalStep | None
    as_read: bool = False  # the step is the one the caller read, not read here

    def still_as_read(self) -> QuerySet[ApprovalStep]:
        """The step, while pending with the approver it was read with (handed over meanwhile: none)."""
        step = self.step
        return ApprovalStep.objects.filter(
            pk=step.pk, status=StepStatus.PENDING, approver_id=step.approver_id, role=step.role
        )

    def write(self, doc: Document, comment: str, actor: User) -> None:
        step = self.step
        step.decided_by = actor
        step.decided_at = timezone.now()
        step.comment = comment
        step.status = StepStatus.REJECTED if self.decision == "reject" else StepStatus.APPROVED
        # Only while still pending with the approver it was read with: a hand-over between the claim
        # and here (a step is handed over without the document's row) refuses the whole service.
        decided = self.still_as_read().update(
            status=step.status, decided_by=actor, decided_at=step.decided_at, comment=comment
        )
        if decided != 1:
            raise StaleEdit(_("This approval changed meanwhile; reload it and decide again."))
        if self.decision == "reject":
            approvals.cancel_open_steps(doc)
        elif self.following is not None:
            self.following.status = StepStatus.PENDING
            self.following.pending_since = step.decided_at
            self.following.save(update_fields=["status", "pending_since"])
            _notify_step(doc, self.following)


def _is_last_pending(step: ApprovalStep, doc: Document) -> bool:
    return (
        step.status == StepStatus.PENDING
        and step.last_in_round
        and step.object_id == doc.pk
        and step.content_type_id == ContentType.objects.get_for_model(doc).pk
    )


@dataclass
class _Plan:
    before: str
    fields: dict[str, Any]
    changes: dict[str, tuple[Any, Any]]
    decision: _Decision | None = None
    chain: approvals.Chain | None = None
    cancel_steps: bool = False
    # More the claim must find true (a decision on the step its caller read: still as read).
    claim_also: list[Exists] = field(default_factory=list)

    def after_decision(self, doc: Document, decision: str, target: str) -> None:
        """A rejection, or the approval of the last step, moves the document to ``target``."""
        assert self.decision is not None
        if decision == "reject" or self.decision.following is None:
            doc.state = target


def _decision(doc: Document, decision: str, *, actor: User) -> _Decision:
    # The caller's pending step when it is the last of its round (``approvals.with_pending_step``);
    # else the pending step and the ones waiting after it, in one read.
    read: ApprovalStep | None = getattr(doc, "pending_step_read", None)
    if read is not None and _is_last_pending(read, doc):
        open_steps, as_read = [read], True
    else:
        open_steps, as_read = approvals.open_steps(doc), False
    step = next((s for s in open_steps if s.status == StepStatus.PENDING), None)
    if step is None:
        raise TransitionNotAllowed(_("Nothing is waiting for approval."))
    if not step.can_decide(actor):
        raise Forbidden(_("This approval is waiting for someone else."))
    if doc.owner_id == actor.pk:
        # Two people: whoever raised a document never approves it (ASVS 2.3.5).
        raise Forbidden(_("You cannot approve your own document."))
    # A named approver was checked against the excluded when the step was routed (or handed over),
    # and a pending document cannot be edited since; anyone deciding an open step is checked now.
    if step.approver_id != actor.pk and actor.pk in doc.excluded_approver_ids():
        raise Forbidden(_("You wrote part of this document, so someone else decides it."))
    following = None
    if decision == "approve":
        following = next((s for s in open_steps if s.status == StepStatus.WAITING and s.round == step.round), None)
    return _Decision(decision=decision, step=step, following=following, as_read=as_read)


def approval_chain_open(doc: Document) -> list[ApprovalStep]:
    """Open the approval chain of a document created straight into review (a violation the
    compliance engine found has no submitting owner), and tell the first decider."""
    steps = approvals.start_chain(doc)
    if steps:
        _notify_step(doc, steps[0])
    return steps


def _notify_step(doc: Document, step: ApprovalStep) -> None:
    users: list[User]
    if step.approver is not None:
        users = [step.approver]
    else:
        # Anyone holding the role may decide; tell only those who may and can open the document.
        users = approvals.holders_who_see(doc, step.role, doc.excluded_approver_ids(), limit=20)
    text = _("%(number)s waits for your approval") % {"number": doc.number}
    summary = doc.task_summary()
    notify(users, f"{text}: {summary}" if summary else text, url=_url_of(doc))


def _state_label(doc: Document) -> str:
    return str(doc.get_state_display()) if hasattr(doc, "get_state_display") else doc.state


def _url_of(doc: Any) -> str:
    try:
        return doc.get_absolute_url()
    except (AttributeError, NoReverseMatch):
        return ""


@transaction.atomic
def comment_add(doc: Document, *, actor: User, text: str) -> Comment:
    if not type(doc).objects.visible_to(actor).filter(pk=doc.pk).exists():
        raise NotFound(_("Document not found."))
    text = (text or "").strip()
    if not text:
        raise InvalidInput(_("The comment is empty."), fields={"text": [_("This field is required.")]})
    comment = Comment.objects.create(
        content_type=ContentType.objects.get_for_model(doc), object_id=doc.pk, author=actor, text=text[:4000]
    )
    record_event(doc, "comment", actor=actor, from_state=doc.state, to_state=doc.state, comment=text[:4000])
    return comment


def changed_fields(obj: Any, values: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """``{field: (old, new)}`` for the values that differ from ``obj``'s current ones."""
    return {name: (getattr(obj, name), value) for name, value in values.items() if getattr(obj, name) != value}


def step_reroute(*, step_id: int, actor: User, approver_id: int | None, reason: str) -> ApprovalStep:
    """Hand a pending approval step to another person (a manager away, a post unfilled), audited on
    the document. The new approver must be active, see the document and be allowed to decide it."""
    if not actor.has_role(*REROUTERS):
        raise Forbidden(_("Your role may not do this."))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Please give a reason."), fields={"reason": [_("This field is required.")]})
    with transaction.atomic():
        step = ApprovalStep.objects.select_for_update().filter(pk=step_id, status=StepStatus.PENDING).first()
        if step is None:
            raise NotFound(_("This approval is no longer waiting."))
        model: Any = ContentType.objects.get_for_id(step.content_type_id).model_class()
        doc = model.objects.filter(pk=step.object_id).first() if model else None
        if doc is None:
            raise NotFound(_("This approval is no longer waiting."))
        approver = User.objects.filter(pk=approver_id, is_active=True).first() if approver_id else None
        if approver is None:
            raise InvalidInput(_("Choose who decides instead."), fields={"approver": [_("Choose an active user.")]})
        if approver.pk == actor.pk:
            raise InvalidInput(
                _("Hand the approval to someone else, not to yourself."),
                fields={"approver": [_("Choose someone else.")]},
            )
        if not approver.has_role(*approvals.roles_that_decide(step.role)):
            raise InvalidInput(
                _("%(user)s holds no role that may decide this step (%(role)s).")
                % {"user": approver, "role": step.get_role_display()},
                fields={"approver": [_("Choose someone who holds the step's role.")]},
            )
        if approver.pk in doc.excluded_approver_ids():
            raise InvalidInput(
                _("%(user)s raised or wrote this document and may not decide it.") % {"user": approver},
                fields={"approver": [_("Choose someone else.")]},
            )
        if not model.objects.visible_to(approver).filter(pk=doc.pk).exists():
            raise InvalidInput(
                _("%(user)s cannot see this document.") % {"user": approver},
                fields={"approver": [_("Choose someone who can see the document.")]},
            )
        before = step.approver
        step.approver = approver
        step.pending_since = timezone.now()
        step.save(update_fields=["approver", "pending_since"])
        record_event(
            doc,
            "reassign",
            actor=actor,
            from_state=doc.state,
            to_state=doc.state,
            comment=reason,
            changes={"approver": (str(before) if before else step.get_role_display(), str(approver))},
        )
        _notify_step(doc, step)
        return step
