"""Template tags of documents: ``{% state_badge doc %}``, the state with its colour from the flow."""

from typing import Any

from django import template

from salesops.core.errors import NotFound

from ..flows import DEFAULT_STATE_STYLES
from ..registry import document_type_of

register = template.Library()

# Colours on which white text is unreadable.
_DARK_TEXT = frozenset(("warning", "light", "info"))


def state_style(doc: Any) -> str:
    """The Bootstrap colour of ``doc``'s state, as its flow declares (a type no flow is registered
    for takes the kernel's convention)."""
    try:
        return document_type_of(doc).flow.style_of(doc.state)
    except NotFound:
        return DEFAULT_STATE_STYLES.get(doc.state, "light")


@register.inclusion_tag("workflow/includes/state_badge.html")
def state_badge(doc: Any) -> dict[str, Any]:
    style = state_style(doc)
    return {"state": doc.state, "label": doc.get_state_display(), "style": style, "dark_text": style in _DARK_TEXT}
