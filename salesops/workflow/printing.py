"""The copies (联) each printed form comes out in: the company's configuration, and the copies one
print asks for.

A type declares its copies (``register_document(print_copies=...)``); the company may rename,
recolour, reorder, add or drop them per type (``PrintCopy`` rows, set here by an administrator).
Until it does, the declaration holds.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from salesops.core.errors import Forbidden, InvalidInput, validate
from salesops.core.pdf import FormCopy
from salesops.org.models import User
from salesops.org.roles import Role

from .models import PrintCopy
from .registry import DocumentType, all_document_types, document_type


def copies_of(entry: DocumentType) -> list[FormCopy]:
    """The copies the company prints ``entry`` in, in order: its own, else the declared ones."""
    rows = PrintCopy.objects.filter(doc_type=entry.label).order_by("position")
    return [row.as_form_copy() for row in rows] or list(entry.print_copies)


def printed_forms() -> list[dict[str, Any]]:
    """Every type with a printed form, its copies and whether they are the company's own (one query)."""
    own: dict[str, list[FormCopy]] = {}
    for row in PrintCopy.objects.order_by("doc_type", "position"):
        own.setdefault(row.doc_type, []).append(row.as_form_copy())
    return [
        {
            "entry": entry,
            "kind": entry.model._meta.verbose_name,
            "copies": own.get(entry.label) or list(entry.print_copies),
            "own": entry.label in own,
        }
        for entry in sorted(all_document_types(), key=lambda entry: entry.label)
        if entry.print_template
    ]


def copies_chosen(entry: DocumentType, positions: Iterable[str]) -> list[FormCopy]:
    """The copies one print asks for (``?copies=2,4``, by position); none asked for: all of them.
    A position the form does not have is refused (422), so a wrong link never prints the wrong copy."""
    copies = copies_of(entry)
    wanted = {part.strip() for value in positions for part in value.split(",") if part.strip()}
    if not wanted:
        return copies
    known = {str(copy.position) for copy in copies}
    if not wanted <= known:
        choices = ", ".join(sorted(known, key=int)) or "—"
        raise InvalidInput(
            _("This form has no such copy."),
            fields={"copies": [_("Choose among the copies %(positions)s.") % {"positions": choices}]},
        )
    return [copy for copy in copies if str(copy.position) in wanted]


@transaction.atomic
def print_copies_set(*, actor: User, doc_type: str, copies: Sequence[FormCopy]) -> list[PrintCopy]:
    """Set the copies a printed form comes out in, in the order given (administrators only).
    No copies: the type's declared copies again."""
    if not actor.has_role(Role.ADMIN):
        raise Forbidden(_("Only an administrator sets the copies of a printed form."))
    entry = document_type(doc_type)
    if not entry.print_template:
        raise InvalidInput(_("This document has no printed form."))
    PrintCopy.objects.filter(doc_type=entry.label).delete()
    rows = []
    for position, copy in enumerate(copies, start=1):
        row = PrintCopy(
            doc_type=entry.label,
            position=position,
            name=copy.name,
            purpose=copy.purpose,
            colour_label=copy.colour_label,
            colour=copy.colour,
        )
        try:
            validate(row, exclude=["doc_type", "position"])
        except InvalidInput as exc:
            problems = " ".join(m for messages in exc.extra["fields"].values() for m in messages) or exc.message
            line = _("Copy %(position)s: %(problems)s") % {"position": position, "problems": problems}
            raise InvalidInput(exc.message, fields={"copies": [line]}) from exc
        rows.append(row)
    return PrintCopy.objects.bulk_create(rows)
