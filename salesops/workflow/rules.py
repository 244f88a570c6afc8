"""The regulation's rules as code: each app declares the checks over its own data; the
compliance app runs them, keeps the violations and their review (R17, D3).

An app registers a ``RuleCheck`` in its ``AppConfig.ready`` (as it registers document types):
the rule's code and its Chinese text, a severity, and two set-based functions over a
``CheckWindow``: ``find`` yields the breaches that happened, ``at_risk`` those that will happen
by the window's horizon unless someone acts. Both run a fixed number of queries whatever the
number of documents. Apps never import the compliance app; the kernel tells the compliance app
(its registered listener) when a watched action is taken, for an on-event check of that document.
"""

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from salesops.org.calendar import CalendarData, working_day_deadline
from salesops.org.calendar import load as load_calendar


class Severity(models.TextChoices):
    MINOR = "minor", _("minor")
    MODERATE = "moderate", _("moderate")
    SERIOUS = "serious", _("serious")


@dataclass(frozen=True)
class CheckWindow:
    """What a check looks at: breaches that happened on ``since`` .. ``today`` (both included), at
    risk up to ``horizon``; ``ids``: only these subject rows (an on-event check), None for all.
    The calendar is read when a check first asks for a deadline (``preloaded`` when the caller
    has it): an on-event check whose query finds nothing reads none."""

    today: datetime.date
    since: datetime.date
    horizon: datetime.date
    ids: frozenset[int] | None = None
    preloaded: CalendarData | None = None
    # The type of the acted-on document whose ``ids`` these are (an on-event check), e.g.
    # "fulfilment.requisition": a rule declared in parts runs only the part watching it.
    label: str = ""

    @cached_property
    def calendar(self) -> CalendarData:
        return self.preloaded if self.preloaded is not None else load_calendar()

    def deadline(self, start: datetime.date, working_days: int) -> tuple[datetime.date, bool]:
        found = working_day_deadline(start, working_days, data=self.calendar)
        return found.day, found.provisional


@dataclass(frozen=True)
class Breach:
    """One breach: of a document (``subject``, a model instance or ``(model, pk, number)``) or of a
    person for a period (``period``, e.g. ``"202611"``), by ``person_id``, on ``occurred_on``.
    For an at-risk item ``occurred_on`` is the day it will breach (``provisional``: counted over a
    provisional calendar)."""

    person_id: int
    occurred_on: datetime.date
    subject_model: Any = None
    subject_id: int | None = None
    subject_number: str = ""
    period: str = ""
    detail: str = ""
    provisional: bool = False


@dataclass(frozen=True)
class RuleCheck:
    code: str
    title: Any  # lazy text
    text_zh: str  # the regulation's own words (source-document.zh.txt)
    severity: str
    find: Callable[[CheckWindow], Iterable[Breach]]
    at_risk: Callable[[CheckWindow], Iterable[Breach]] | None = None
    # Document type label -> actions after which the document is checked at once (the sweep finds
    # the rest, e.g. a contract never archived).
    watches: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # A test of the acted-on document in memory: False when it cannot be in breach, so the
    # on-event check (a query) is not run after the usual, compliant action. None: always check.
    suspect: Callable[[Any], bool] | None = None
    penalty_min: Decimal = Decimal("10")
    penalty_max: Decimal = Decimal("100")
    # What the rule counts per person over the window besides breaches (R4: the non-standard
    # approvals each salesperson asked for), for the managers' page and the reports.
    tally: Callable[[CheckWindow], Mapping[int, int]] | None = None
    tally_label: Any = ""


_rules: dict[str, RuleCheck] = {}
_parts: dict[str, list[RuleCheck]] = {}


def register_rule(rule: RuleCheck) -> RuleCheck:
    if rule.code in _rules and _rules[rule.code] is not rule:
        raise ValueError(f"rule {rule.code} is registered twice")
    _rules[rule.code] = rule
    _parts[rule.code] = [rule]
    return rule


def register_rule_part(part: RuleCheck) -> RuleCheck:
    """Add a part to a rule another app declared over its own documents (R10: requisitions in
    fulfilment, invoice requests in receivables): one rule, one code and one text, whose checks
    are the parts' together. Each part watches its own document types; an on-event check runs only
    the part watching the acted-on type (``CheckWindow.label``)."""
    first = _rules.get(part.code)
    if first is None:
        raise ValueError(f"rule {part.code}: register the rule before its parts")
    parts = [*_parts[part.code], part]
    _parts[part.code] = parts
    _rules[part.code] = _combined(_parts[part.code][0], parts)
    return _rules[part.code]


def _combined(first: RuleCheck, parts: list[RuleCheck]) -> RuleCheck:
    def for_window(window: CheckWindow) -> list[RuleCheck]:
        if window.ids is None:
            return parts
        return [part for part in parts if window.label in part.watches]

    def find(window: CheckWindow) -> Iterable[Breach]:
        for part in for_window(window):
            yield from part.find(window)

    def at_risk(window: CheckWindow) -> Iterable[Breach]:
        for part in for_window(window):
            if part.at_risk is not None:
                yield from part.at_risk(window)

    def suspect(doc: Any) -> bool:
        label = doc._meta.label_lower
        return any(label in part.watches and (part.suspect is None or part.suspect(doc)) for part in parts)

    def tally(window: CheckWindow) -> Mapping[int, int]:
        counts: dict[int, int] = {}
        for part in parts:
            for person, n in (part.tally(window) if part.tally is not None else {}).items():
                counts[person] = counts.get(person, 0) + n
        return counts

    watches: dict[str, tuple[str, ...]] = {}
    for part in parts:
        for label, actions in part.watches.items():
            watches[label] = tuple(dict.fromkeys((*watches.get(label, ()), *actions)))
    return RuleCheck(
        code=first.code,
        title=first.title,
        text_zh=first.text_zh,
        severity=first.severity,
        find=find,
        at_risk=at_risk if any(part.at_risk for part in parts) else None,
        watches=watches,
        suspect=suspect,
        penalty_min=first.penalty_min,
        penalty_max=first.penalty_max,
        tally=tally if any(part.tally for part in parts) else None,
        tally_label=first.tally_label,
    )


def all_rules() -> list[RuleCheck]:
    return sorted(_rules.values(), key=lambda r: _sort_key(r.code))


def rule(code: str) -> RuleCheck | None:
    return _rules.get(code)


def _sort_key(code: str) -> tuple[str, int, str]:
    letters = code.rstrip("0123456789.")
    digits = code[len(letters) :].split(".")[0]
    return (letters, int(digits) if digits.isdigit() else 0, code)


# The compliance app's listener: called with (rule codes, document) once the transaction commits.
_listeners: list[Callable[[list[str], Any], None]] = []


def listen(listener: Callable[[list[str], Any], None]) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def document_acted(doc: Any, action: str) -> None:
    """Called by ``transition``: the rules watching this action check the document once the
    transaction commits (a refused or rolled-back action checks nothing). A failing check is
    logged, never the user's error: the periodic sweep derives the same breaches again."""
    label = doc._meta.label_lower
    codes = [
        r.code for r in _rules.values() if action in r.watches.get(label, ()) and (r.suspect is None or r.suspect(doc))
    ]
    if not codes or not _listeners:
        return
    for listener in _listeners:
        transaction.on_commit(_calling(listener, codes, doc), robust=True)


def _calling(listener: Callable[[list[str], Any], None], codes: list[str], doc: Any) -> Callable[[], None]:
    def call() -> None:
        listener(codes, doc)

    return call
