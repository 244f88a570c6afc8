"""Declared workflows: each document type states its transitions once, as data.

``T(source, target, by=..., guard=..., approval=...)``:
- ``by``: who may act, each item a role name or a predicate ``(doc, user) -> bool``
  (``is_owner``); any match allows. Ignored for approval decisions, where the
  current approval step names the approver.
- ``guard``: ``(doc) -> reason | None``; a reason refuses the action (an approval decision too).
- ``via_form``: the action has its own form and service; generic buttons skip it.
- ``approval``: ``"start"`` builds the approval chain from the policy
  (an empty chain goes straight to ``Flow.approved_state``), ``"approve"``
  records a decision and moves only when the last step passes, ``"reject"``
  ends the chain.

``Flow.state_styles`` names the Bootstrap colour of a state's badge (``{"issued": "primary"}``);
a state the flow does not name takes the kernel's colour by convention
(``DEFAULT_STATE_STYLES``: done states green, waiting ones amber, refused ones red, ended ones
grey, anything else, such as a draft, light).
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from django.utils.functional import Promise

Actor = str | Callable[[Any, Any], bool]


def is_owner(doc: Any, user: Any) -> bool:
    return doc.owner_id == user.pk


# The badge colour of a state no flow names: approved and finished states are "success", those
# waiting for someone "warning", refusals "danger", ends without effect "secondary", an issued
# document "primary"; anything else (a draft) is "light".
DEFAULT_STATE_STYLES: Mapping[str, str] = {
    **dict.fromkeys(("approved", "confirmed", "signed", "archived", "won", "paid", "bidding", "answered"), "success"),
    **dict.fromkeys(("pending", "deciding", "reported", "open"), "warning"),
    **dict.fromkeys(("rejected", "declined", "lost", "voided"), "danger"),
    **dict.fromkeys(("cancelled", "withdrawn", "superseded", "waived"), "secondary"),
    "issued": "primary",
}


@dataclass(frozen=True)
class T:
    source: str | tuple[str, ...]
    target: str
    by: tuple[Actor, ...] = ()
    label: str | Promise = ""
    guard: Callable[[Any], str | None] | None = None
    approval: str | None = None
    needs_comment: bool = False
    voids: bool = False
    style: str = "primary"
    # Taken through its own form and service (e.g. recording a payment), never as a plain button.
    via_form: bool = False

    @property
    def sources(self) -> tuple[str, ...]:
        return (self.source,) if isinstance(self.source, str) else self.source

    def actor_allowed(self, doc: Any, user: Any) -> bool:
        roles = user.roles
        for item in self.by:
            if callable(item):
                if item(doc, user):
                    return True
            elif item in roles:
                return True
        return False


@dataclass
class Flow:
    model_label: str
    transitions: dict[str, T]
    initial: str
    approved_state: str | None = None
    editable_states: Iterable[str] = field(default_factory=tuple)
    # state -> Bootstrap colour of its badge; unnamed states take DEFAULT_STATE_STYLES.
    state_styles: Mapping[str, str] = field(default_factory=dict)
    # A field stamped with the time the document reaches ``approved_state`` (a deadline that counts
    # from the approval, R10), in the same write as the state.
    approval_stamp: str = ""

    def __post_init__(self) -> None:
        if self.approval_stamp and not self.approved_state:
            raise ValueError(f"{self.model_label}: an approval stamp needs the approved state it stamps")

    def style_of(self, state: str) -> str:
        """The Bootstrap colour of ``state``'s badge: the flow's own, else the kernel's convention."""
        return self.state_styles.get(state) or DEFAULT_STATE_STYLES.get(state, "light")

    def get(self, action: str) -> T | None:
        return self.transitions.get(action)

    @property
    def plain_actions(self) -> tuple[str, ...]:
        """Actions taken as a plain button or API call (the rest have their own form and service)."""
        return tuple(name for name, t in self.transitions.items() if not t.via_form)

    @property
    def action_choices(self) -> Any:
        """The plain actions as a ``Literal`` type, for an API route's ``{action}`` parameter: the
        route offers exactly what the flow declares."""
        return Literal[self.plain_actions]

    def decision_action(self, decision: str, state: str) -> str | None:
        """The action that records ``decision`` ("approve" or "reject") on a document in ``state``.

        Flows name their decisions in their own words (a contract is ``confirm``-ed, leadership
        ``instruct``-s or ``overrule``-s an inquiry); My tasks only knows approve and reject."""
        for name, t in self.transitions.items():
            if t.approval == decision and state in t.sources:
                return name
        return None

    @property
    def returned_state(self) -> str | None:
        """Where a rejection sends a document back to its owner to fix and resubmit (None: it ends there)."""
        editable = set(self.editable_states)
        for t in self.transitions.values():
            if t.approval == "reject" and t.target in editable:
                return t.target
        return None

    def allows(self, action: str, doc: Any, user: Any) -> bool:
        """Whether ``user`` could take ``action`` on ``doc`` now: the state, the actor and the guard
        (drives the buttons of form actions; the service checks everything again)."""
        t = self.get(action)
        if t is None or doc.state not in t.sources or t.approval in ("approve", "reject"):
            return False
        return t.actor_allowed(doc, user) and (t.guard is None or not t.guard(doc))

    def offered(self, doc: Any, user: Any, *, pending_step: Any = None) -> list[tuple[str, T, str | None]]:
        """The plain actions the user could take in the document's state, each with the reason its
        guard holds it back now (None when it may be taken): the buttons, held ones shown disabled
        with the reason. One guard call per action; the service re-checks everything."""
        found: list[tuple[str, T, str | None]] = []
        for name, t in self.transitions.items():
            if doc.state not in t.sources or t.via_form:
                continue
            if t.approval in ("approve", "reject"):
                if pending_step is not None and pending_step.can_decide(user):
                    found.append((name, t, t.guard(doc) if t.guard is not None else None))
            elif t.actor_allowed(doc, user):
                found.append((name, t, t.guard(doc) if t.guard is not None else None))
        return found

    def actions_for(self, doc: Any, user: Any, *, pending_step: Any = None) -> list[tuple[str, T]]:
        """Actions the user could take now: state, actor and guard (the service re-checks everything)."""
        return [(name, t) for name, t, held in self.offered(doc, user, pending_step=pending_step) if not held]
