"""Input forms of the statements of account (对账, R13): a campaign, a statement's sending, the
customer's reply (agreed with the stamped scan, or disagreed with the differences).

They only parse: every field is optional here, so what is missing or wrong is said by the service
(``services.statements``), in the reader's language, on the field it names. A difference the
service names by its place in what was sent (``differences.1.item``) goes back to its row.
"""

import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from salesops.core.errors import InvalidInput
from salesops.core.forms import BootstrapFormMixin

from .models import SendMethod, Statement, StatementRun
from .services.statements import default_cut_off

DIFFERENCE_COLUMNS = (
    ("item", _("Entry")),
    ("ours", _("Ours")),
    ("theirs", _("Theirs")),
    ("note", _("Note")),
)
DIFFERENCE_ROWS = 5
MAX_DIFFERENCE_ROWS = 40
_SENT_KEY = re.compile(r"^differences\.(\d+)\.(\w+)$")


def _label(model: Any, name: str) -> Any:
    return capfirst(model._meta.get_field(name).verbose_name)


def _date(label: Any) -> forms.DateField:
    return forms.DateField(label=label, required=False, widget=forms.DateInput(format="%Y-%m-%d"))


class StatementRunForm(BootstrapFormMixin, forms.Form):
    """A campaign: its cut-off (the last end of June or December by default) and reply time."""

    period_end = _date(_label(StatementRun, "period_end"))
    reply_working_days = forms.IntegerField(label=_label(StatementRun, "reply_working_days"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period_end"].initial = default_cut_off(timezone.localdate())
        self.fields["reply_working_days"].initial = 10

    def service_kwargs(self) -> dict[str, Any]:
        return {
            "period_end": self.cleaned_data.get("period_end"),
            "reply_working_days": self.cleaned_data.get("reply_working_days"),
        }


class StatementSendForm(BootstrapFormMixin, forms.Form):
    """How the statement went to the customer, and to whom (a name, an address or a number)."""

    method = forms.ChoiceField(label=_label(Statement, "sent_by"), required=False)
    sent_to = forms.CharField(label=_label(Statement, "sent_to"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The buyer's tax digital account is how invoices travel, not statements.
        choices = [(value, label) for value, label in SendMethod.choices if value != SendMethod.TAX_ACCOUNT]
        self.fields["method"].choices = [("", "—"), *choices]

    def service_kwargs(self) -> dict[str, Any]:
        return {"method": self.cleaned_data.get("method") or "", "sent_to": self.cleaned_data.get("sent_to") or ""}


class _ReplyForm(BootstrapFormMixin, forms.Form):
    replied_on = _date(_label(Statement, "replied_on"))
    signatory = forms.CharField(label=_label(Statement, "signatory"), required=False, max_length=60)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["replied_on"].initial = timezone.localdate()

    def service_kwargs(self) -> dict[str, Any]:
        return {
            "replied_on": self.cleaned_data.get("replied_on"),
            "signatory": self.cleaned_data.get("signatory") or "",
        }

    def service_error(self, exc: InvalidInput) -> InvalidInput:
        return exc


class AgreedReplyForm(_ReplyForm):
    """The customer agreed (相符): who signed, when, and the stamped reply."""

    scan = forms.FileField(
        label=_("Stamped reply (scan or photo)"),
        required=False,
        help_text=_("PDF, PNG or JPEG of the reply the customer stamped."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scan"].widget.attrs["accept"] = ".pdf,.png,.jpg,.jpeg"

    def service_kwargs(self) -> dict[str, Any]:
        return {**super().service_kwargs(), "agreed": True, "scan": self.cleaned_data.get("scan")}


class DisagreedReplyForm(_ReplyForm):
    """The customer disagreed (不符): who signed, when, and each difference — the entry, our figure,
    theirs and a note — one row each (``item_<n>``, ``ours_<n>``, ...); blank rows are skipped."""

    def __init__(self, *args: Any, rows: int = DIFFERENCE_ROWS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.row_count = min(max(rows, 1), MAX_DIFFERENCE_ROWS)
        for row in range(self.row_count):
            for key, caption in DIFFERENCE_COLUMNS:
                self.fields[f"{key}_{row}"] = forms.CharField(label=caption, required=False, max_length=200)
        self.sent_rows: list[int] = []

    def difference_rows(self) -> list[list[forms.BoundField]]:
        """The table's cells, row by row (the template draws them)."""
        return [[self[f"{key}_{row}"] for key, _caption in DIFFERENCE_COLUMNS] for row in range(self.row_count)]

    def differences(self) -> list[dict[str, str]]:
        """The rows with anything in them, as the service takes them (their form rows kept in ``sent_rows``)."""
        self.sent_rows, found = [], []
        for row in range(self.row_count):
            values = {
                key: (self.cleaned_data.get(f"{key}_{row}") or "").strip() for key, _caption in DIFFERENCE_COLUMNS
            }
            if any(values.values()):
                self.sent_rows.append(row)
                found.append(values)
        return found

    def service_kwargs(self) -> dict[str, Any]:
        return {**super().service_kwargs(), "agreed": False, "differences": self.differences()}

    def service_error(self, exc: InvalidInput) -> InvalidInput:
        """``differences.<i>.<key>`` back onto the form row it came from; "no differences" on the first row."""
        fields: dict[str, list[str]] = {}
        for name, messages in exc.extra.get("fields", {}).items():
            found = _SENT_KEY.match(name)
            if found and int(found.group(1)) < len(self.sent_rows):
                name = f"{found.group(2)}_{self.sent_rows[int(found.group(1))]}"
            elif name == "differences":
                name = "item_0"
            fields.setdefault(name, []).extend(messages)
        return InvalidInput(exc.message, fields=fields)
