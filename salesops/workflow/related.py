"""Sections an app adds to another app's document pages: what happened downstream of a document.

The app below cannot know the app above it (a contract knows nothing of its deliveries), so the
app above registers a section for the type's label in its ``AppConfig.ready``::

    register_section("deals.contract", "fulfilment/sections/delivery.html", delivery_section)

``delivery_section(doc, user)`` returns the section's context, or None to show nothing (the user
may not see it, or there is nothing yet). Every document page shows its type's sections above the
kernel's panel, each read through the same scoped selectors as its own pages.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

SectionContext = Callable[[Any, Any], dict[str, Any] | None]


@dataclass(frozen=True)
class Section:
    template: str
    context: SectionContext


_sections: dict[str, list[Section]] = {}


def register_section(label: str, template: str, context: SectionContext) -> None:
    found = _sections.setdefault(label.lower(), [])
    if not any(s.template == template for s in found):
        found.append(Section(template, context))


def sections_for(doc: Any, user: Any) -> list[dict[str, Any]]:
    """The registered sections of ``doc``'s type that have something to show this user."""
    shown = []
    for section in _sections.get(doc._meta.label_lower, ()):
        context = section.context(doc, user)
        if context is not None:
            shown.append({"template": section.template, "context": context})
    return shown
