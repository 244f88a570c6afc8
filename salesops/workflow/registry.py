"""Document types known to the kernel: model, flow, and the domain service that acts on it.

Apps register in ``AppConfig.ready``. Generic views (My tasks, the document
panel's buttons, comments, attachments, printing) find a document's type here,
so they call the same domain service as the app's own views and API.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from salesops.core.errors import NotFound

from .flows import Flow


@dataclass(frozen=True)
class DocumentType:
    model: Any
    flow: Flow
    act: Callable[..., Any]  # act(doc, action, *, actor, comment) -> doc
    print_template: str = ""
    # States in which the document may go to the customer with the company stamp; in any other
    # state it prints unstamped, under a "draft, not approved" watermark.
    print_states: frozenset[str] = frozenset()

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    def prints_stamped(self, doc: Any) -> bool:
        return doc.state in self.print_states


_types: dict[str, DocumentType] = {}


def register_document(
    model: Any,
    *,
    flow: Flow,
    act: Callable[..., Any],
    print_template: str = "",
    print_states: Iterable[str] = (),
) -> None:
    if print_template and not print_states:
        raise ValueError(f"{model.__name__}: a printed document names the states it may be stamped in")
    entry = DocumentType(
        model=model, flow=flow, act=act, print_template=print_template, print_states=frozenset(print_states)
    )
    _types[entry.label] = entry


def document_type(label: str) -> DocumentType:
    found = _types.get(label.lower())
    if found is None:
        raise NotFound(_("Unknown document type."))
    return found


def document_type_of(doc: Any) -> DocumentType:
    return document_type(doc._meta.label_lower)


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
