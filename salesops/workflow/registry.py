"""Document types known to the kernel: model, flow, and the domain service that acts on it.

Apps register in ``AppConfig.ready``. Generic views (My tasks, the document
panel's buttons, comments, attachments, printing) find a document's type here,
so they call the same domain service as the app's own views and API.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from django.utils.translation import gettext as _

from salesops.core.errors import InvalidInput, NotFound
from salesops.core.pdf import A4, FormCopy, PaperSize

from .flows import Flow

# A domain service taking a plain action: service(doc, actor=..., comment=...) -> doc.
ActionService = Callable[..., Any]


@dataclass(frozen=True)
class DocumentType:
    """One document type as registered: everything generic code needs to know of it."""

    model: Any
    flow: Flow
    # The domain service of each plain action; an action without one is the bare transition.
    services: Mapping[str, ActionService] = field(default_factory=dict)
    print_template: str = ""
    # States in which the document may go to the customer with the company stamp; in any other
    # state it prints unstamped, under a "draft, not approved" watermark.
    print_states: frozenset[str] = frozenset()
    # The copies (联) of a multi-part form, as declared: the defaults until the company sets its own
    # (``workflow.printing.copies_of``). None: one plain document.
    print_copies: tuple[FormCopy, ...] = ()
    # The papers it may be printed on, the default first.
    print_sizes: tuple[PaperSize, ...] = (A4,)

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    def paper(self, key: str = "") -> PaperSize:
        """The paper ``?size=`` names, the default when it names none; another is refused (422)."""
        if not key:
            return self.print_sizes[0]
        for paper in self.print_sizes:
            if paper.key == key:
                return paper
        sizes = ", ".join(paper.key for paper in self.print_sizes)
        raise InvalidInput(
            _("This document is not printed on that paper size."),
            fields={"size": [_("Choose one of: %(choices)s.") % {"choices": sizes}]},
        )

    def prints_stamped(self, doc: Any) -> bool:
        return doc.state in self.print_states

    def act(self, doc: Any, action: str, *, actor: Any, comment: str = "") -> Any:
        """Take a plain action (My tasks, the document panel's buttons, the API's action route)
        through the type's own service. An action with its own form is refused here."""
        from salesops.core.errors import TransitionNotAllowed

        from .services import transition

        t = self.flow.get(action)
        if t is None:
            raise TransitionNotAllowed(_("Unknown action."))
        if t.via_form:
            raise InvalidInput(
                _("This is recorded through its own form."), fields={"action": [_("Use the form for this action.")]}
            )
        service = self.services.get(action)
        if service is None:
            return transition(self.flow, doc, action, actor=actor, comment=comment or "")
        return service(doc, actor=actor, comment=comment or "")


def services_taking(doc_arg: str, table: Mapping[str, Any]) -> dict[str, ActionService]:
    """Adapt domain services to the registry's ``service(doc, actor=, comment=)``: each entry is a
    service taking the document as ``doc_arg``, or ``(service, "reason")`` when the comment is
    its reason.::

        services_taking("quotation", {"submit": quotation_submit, "reject": (quotation_reject, "reason")})
    """

    def adapt(service: Callable[..., Any], comment_arg: str) -> ActionService:
        def call(doc: Any, *, actor: Any, comment: str = "") -> Any:
            return service(**{doc_arg: doc, "actor": actor, comment_arg: comment})

        return call

    return {
        action: adapt(*entry) if isinstance(entry, tuple) else adapt(entry, "comment")
        for action, entry in table.items()
    }


_types: dict[str, DocumentType] = {}


def register_document(
    model: Any,
    *,
    flow: Flow,
    services: Mapping[str, ActionService] | None = None,
    print_template: str = "",
    print_states: Iterable[str] = (),
    print_copies: Iterable[FormCopy] = (),
    print_sizes: Iterable[PaperSize] = (A4,),
) -> DocumentType:
    """Declare a document type once: its flow, the service of each plain action (the others are
    the bare transition), its printed form, the states it may be stamped in, and for a multi-part
    form its copies and the papers it is printed on, the default first::

        register_document(DeliveryNote, flow=..., print_template="fulfilment/print/delivery_note.html",
                          print_states=(...), print_copies=FOUR_PART_COPIES,
                          print_sizes=(CONTINUOUS_HALF, CONTINUOUS_THIRD, A4))

    Without copies a document prints once; without sizes, on A4."""
    services = dict(services or {})
    unknown = set(services) - set(flow.plain_actions)
    if unknown:
        raise ValueError(f"{model.__name__}: services for actions the flow has no plain button for: {unknown}")
    if print_template and not print_states:
        raise ValueError(f"{model.__name__}: a printed document names the states it may be stamped in")
    copies = tuple(replace(copy, position=n) for n, copy in enumerate(print_copies, start=1))
    sizes = tuple(print_sizes)
    if not sizes or len({paper.key for paper in sizes}) < len(sizes):
        raise ValueError(f"{model.__name__}: print_sizes names each paper once, the default first")
    if (copies or sizes != (A4,)) and not print_template:
        raise ValueError(f"{model.__name__}: copies and paper sizes are for a printed form (print_template)")
    entry = DocumentType(
        model=model,
        flow=flow,
        services=services,
        print_template=print_template,
        print_states=frozenset(print_states),
        print_copies=copies,
        print_sizes=sizes,
    )
    _types[entry.label] = entry
    return entry


def document_type(label: str) -> DocumentType:
    found = _types.get(label.lower())
    if found is None:
        raise NotFound(_("Unknown document type."))
    return found


def document_type_of(doc: Any) -> DocumentType:
    return document_type(doc._meta.label_lower)


def act_on(doc: Any, action: str, *, actor: Any, comment: str = "") -> Any:
    """Take a plain action on ``doc`` through its type's declared service (``DocumentType.act``)."""
    return document_type_of(doc).act(doc, action, actor=actor, comment=comment)


def all_document_types() -> list[DocumentType]:
    return list(_types.values())


_default_seeders: list[Callable[[], None]] = []


def register_defaults(seeder: Callable[[], None]) -> None:
    """An app's idempotent function that (re)creates its default policies and thresholds."""
    if seeder not in _default_seeders:
        _default_seeders.append(seeder)


def ensure_defaults() -> None:
    for seeder in _default_seeders:
        seeder()
