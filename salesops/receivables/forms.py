"""What the money forms share: a form with a table of rows (sold lines to invoice, open invoices
to ask for or to allocate to), each with its own input, and the service's errors put back on the
row they came from.

A row's input is named ``<prefix>_<key>`` (``qty_12``, ``amount_7``); blank or 0 skips the row.
The service names a bad row by its place in what was sent (``lines.1.amount``, ``targets.0.amount``):
``service_error`` finds the row again. The rules stay in the services (STYLE.md).
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from salesops.core.errors import InvalidInput
from salesops.core.forms import BootstrapFormMixin

_SENT_KEY = re.compile(r"^(?:lines|targets)\.(\d+)\.(\w+)$")


def yuan(value: Any) -> str:
    """An amount as the table shows it: 1,234.50."""
    return f"{Decimal(value):,.2f}"


def text_field(caption: Any, *, required: bool = True, max_length: int = 300, rows: int = 0) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else None
    return forms.CharField(label=caption, required=required, max_length=max_length, widget=widget)


def date_field(caption: Any, **extra: Any) -> forms.DateField:
    return forms.DateField(label=caption, widget=forms.DateInput(format="%Y-%m-%d"), **extra)


@dataclass(frozen=True)
class Row:
    """One row of a form's table: the key its input and the service name it by, what it says
    (``texts``, left) and counts (``figures``, right), and the value its input starts with."""

    key: int
    texts: Sequence[Any]
    figures: Sequence[str] = ()
    initial: Any = None
    extra: dict[str, Any] = field(default_factory=dict)


class RowsForm(BootstrapFormMixin, forms.Form):
    """Header fields, then a table of rows with one input each, then the fields after the rows."""

    prefix_name: ClassVar[str] = "qty"
    input_label: ClassVar[Any] = _("Quantity")
    input_places: ClassVar[int] = 3
    text_labels: ClassVar[tuple[Any, ...]] = ()
    figure_labels: ClassVar[tuple[Any, ...]] = ()
    after_rows: ClassVar[tuple[str, ...]] = ()
    # The service's list that the rows go to ("lines", "targets"), for its errors.
    sent_name: ClassVar[str] = "lines"

    def __init__(self, data=None, files=None, *, rows: Sequence[Row] = (), **kwargs: Any) -> None:
        super().__init__(data, files, **kwargs)
        self.rows = list(rows)
        for row in self.rows:
            name = self.input_name(row)
            self.fields[name] = forms.DecimalField(
                label=self.input_label,
                required=False,
                min_value=0,
                max_digits=14,
                decimal_places=self.input_places,
                initial=row.initial,
            )
            self.fields[name].widget.attrs.update(
                {
                    "class": "form-control form-control-sm text-end",
                    # The rows are a table without <label>s.
                    "aria-label": f"{' '.join(str(t) for t in row.texts[:1])} {self.input_label}",
                    "data-testid": f"{self.prefix_name}-{row.key}",
                }
            )
        # The rows whose values went to the service, in the order it numbers them.
        self.sent: list[Row] = []

    def input_name(self, row: Row) -> str:
        return f"{self.prefix_name}_{row.key}"

    def header_fields(self) -> list:
        skip = {self.input_name(row) for row in self.rows} | set(self.after_rows)
        return [f for f in self.visible_fields() if f.name not in skip]

    def footer_fields(self) -> list:
        return [self[name] for name in self.after_rows if name in self.fields]

    def table(self) -> list[dict[str, Any]]:
        return [{"row": row, "field": self[self.input_name(row)]} for row in self.rows]

    def chosen(self) -> list[tuple[Row, Decimal]]:
        """The rows given a value above 0, in order (remembered for the service's errors)."""
        self.sent = []
        found = []
        for row in self.rows:
            value = self.cleaned_data.get(self.input_name(row))
            if value:
                self.sent.append(row)
                found.append((row, value))
        return found

    def service_error(self, exc: InvalidInput) -> InvalidInput:
        """The service's error with each key renamed to this form's field: a row's error lands on
        the row it came from, one about all the rows on the first row, and what names no field of
        this form above it."""
        placed: dict[str, list[str]] = {}
        for key, messages in exc.extra.get("fields", {}).items():
            found = _SENT_KEY.match(key)
            if found and int(found.group(1)) < len(self.sent):
                target = self.input_name(self.sent[int(found.group(1))])
            elif key == self.sent_name and self.rows:
                target = self.input_name(self.rows[0])
            else:
                target = key.removesuffix("_id")
            if target in self.fields:
                placed.setdefault(target, []).extend(messages)
            else:
                for message in messages:
                    self.add_error(None, message)
        return InvalidInput(exc.message, fields=placed)


class PlainForm(BootstrapFormMixin, forms.Form):
    """A form without rows; the service's error keys are its field names (``customer_id`` as
    ``customer``)."""

    def service_error(self, exc: InvalidInput) -> InvalidInput:
        placed: dict[str, list[str]] = {}
        for key, messages in exc.extra.get("fields", {}).items():
            target = key if key in self.fields else key.removesuffix("_id")
            if target in self.fields:
                placed.setdefault(target, []).extend(messages)
            else:
                for message in messages:
                    self.add_error(None, message)
        return InvalidInput(exc.message, fields=placed)
