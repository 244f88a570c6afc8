"""Spreadsheet export and import (openpyxl) for any list of rows.

Export writes one sheet: a header row in Chinese (the columns' labels under
zh-hans) and one row per object. Every export goes through ``export_xlsx``, which
writes text as text (issue 7, item 3): a string cell is typed as a string, and one
starting with ``=``, ``+``, ``-``, ``@`` (or a tab or CR) also gets Excel's quote
prefix, as OWASP's CSV-injection guidance asks, so an exported file never computes
anything, not even after a user edits the cell. A stored value with a control
character XML cannot hold (entered before input refused them) is written with
U+FFFD in its place instead of failing the whole export.

Import is all or nothing (RELIABILITY.md, ASVS 2.3.3). The upload is refused
before it is parsed when it is too large (``UPLOAD_MAX_BYTES``), is not an
xlsx by its first bytes, or unpacks to more than
``XLSX_MAX_UNCOMPRESSED_BYTES`` (zip bomb). Then every row is checked against
the declared columns (required, type, Decimal places, codes of other rows,
duplicates within the file) and every problem is collected as (row, column,
message). Only a clean file is written, in one transaction, one service call
per row; if any call refuses its row, the whole import rolls back and the
refusals are reported the same way.
"""

import datetime
import enum
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from .errors import InvalidInput
from .textguard import CONTROL

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_MAGIC = b"PK\x03\x04"
HEADER_LANGUAGE = "zh-hans"
MAX_ROWS = 20_000
MAX_ARCHIVE_MEMBERS = 2_000
# Excel's own limit; longer text cannot come from a real sheet.
MAX_CELL_TEXT = 32_767
# What a spreadsheet reads as the start of a formula (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

TRUE_WORDS = frozenset({"1", "true", "yes", "y", "是", "√", "有效"})
FALSE_WORDS = frozenset({"0", "false", "no", "n", "否", "×", "无效"})


class Kind(enum.StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    BOOLEAN = "boolean"
    CHOICE = "choice"
    REFERENCE = "reference"


@dataclass(frozen=True)
class Column:
    """One column of a sheet.

    ``key`` names the value handed to the row writer (and the service field
    whose errors land in this column); ``header`` is the translatable label.
    ``reference`` returns ``{code: object}`` for a column holding another row's
    code (region code, owner username); it is called once per import.
    ``export`` reads the cell value from an object (default: attribute ``key``).
    """

    key: str
    header: Any
    kind: Kind = Kind.TEXT
    required: bool = False
    max_length: int | None = None
    decimal_places: int = 2
    min_value: Decimal | int | None = None
    max_value: Decimal | int | None = None
    choices: Sequence[tuple[str, Any]] = ()
    reference: Callable[[], Mapping[str, Any]] | None = None
    unique: bool = False
    export: Callable[[Any], Any] | None = None

    def label(self) -> str:
        return str(self.header)


@dataclass(frozen=True)
class RowError:
    """A problem with one cell: Excel row number (the header is row 1), column header, message."""

    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class Sheet:
    """The rows of a checked upload: ``rows`` are ``(row number, {key: value})``; ``errors`` their problems."""

    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


class ImportRefused(InvalidInput):
    """The file had errors; nothing was imported. ``errors`` lists them; ``extra['rows']`` too, for the API."""

    def __init__(self, errors: Sequence[RowError]):
        message = _("The file has %(count)d error(s); nothing was imported.") % {"count": len(errors)}
        super().__init__(message, fields={"file": [message]})
        self.errors = list(errors)
        self.extra["rows"] = [e.as_dict() for e in self.errors]


# Export


# An export job reports its progress every this many rows (and once at the end).
EXPORT_PROGRESS_EVERY = 500


def export_xlsx(
    objects: Iterable[Any],
    columns: Sequence[Column],
    *,
    title: str = "Sheet1",
    progress: Callable[[int], None] | None = None,
) -> bytes:
    """A workbook with a Chinese header row and one row per object. ``progress`` (an export job's)
    is told the rows written every ``EXPORT_PROGRESS_EVERY`` rows and once at the end."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title))
    written = 0
    with translation.override(HEADER_LANGUAGE):
        sheet.append([column.label() for column in columns])
        for written, obj in enumerate(objects, start=1):
            cells = []
            for column in columns:
                cell = WriteOnlyCell(sheet, value=_export_value(column, obj))
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text starting with "=" stays text, never a formula
                    if cell.value.startswith(FORMULA_STARTS):
                        cell.quotePrefix = True  # and stays text when somebody edits the cell
                elif column.kind is Kind.DECIMAL and cell.value is not None:
                    cell.number_format = "0." + "0" * column.decimal_places
                elif column.kind is Kind.DATE and cell.value is not None:
                    cell.number_format = "yyyy-mm-dd"
                cells.append(cell)
            sheet.append(cells)
            if progress is not None and written % EXPORT_PROGRESS_EVERY == 0:
                progress(written)
    if progress is not None:
        progress(written)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_xlsx(columns: Sequence[Column], *, title: str = "Sheet1") -> bytes:
    """An empty sheet with the header row only: the import template."""
    return export_xlsx([], columns, title=title)


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_MIME)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename) or "attachment"
    response["Cache-Control"] = "no-store"
    return response


def _sheet_title(title: str) -> str:
    cleaned = "".join(ch for ch in str(title) if ch not in "[]:*?/\\")
    return (cleaned or "Sheet1")[:31]


def _export_value(column: Column, obj: Any) -> Any:
    value = column.export(obj) if column.export else getattr(obj, column.key, None)
    if value is None:
        return None
    if column.kind is Kind.CHOICE:
        labels = {str(k): v for k, v in column.choices}
        return _cell_text(labels.get(str(value), value))
    if column.kind is Kind.BOOLEAN:
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime):
        # Excel has no time zones: write the local wall-clock time.
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, Decimal | int | datetime.date):
        return value
    return _cell_text(value)


def _cell_text(value: Any) -> str:
    """Text a cell can hold: no control character XML refuses (U+FFFD instead), at most Excel's length."""
    return CONTROL.sub("\ufffd", str(value))[:MAX_CELL_TEXT]


# Import


def read_xlsx(upload: Any, columns: Sequence[Column], *, max_rows: int = MAX_ROWS) -> Sheet:
    """Check the file and every row; nothing is written. Raises InvalidInput (field ``file``)
    when the file itself is refused; row problems are returned in ``Sheet.errors``."""
    data = _read_upload(upload)
    _check_archive(data)
    try:
        return _parse(data, columns, max_rows=max_rows)
    except InvalidInput:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a malformed workbook
        raise InvalidInput(
            _("The file could not be read as an Excel workbook."),
            fields={"file": [_("Save the file as an Excel workbook (.xlsx) and try again.")]},
        ) from exc


class ImportProgress:
    """What an import tells whoever runs it; each method does nothing here.

    ``checked`` comes after every row passed the checks and before the write transaction
    opens; ``wrote`` every ``PROGRESS_EVERY`` rows inside it; ``committing`` after the last row,
    still inside it, so what it writes commits with the rows or not at all (and its refusal,
    an exception, rolls every row back).
    """

    def checked(self, total: int) -> None:
        return None

    def wrote(self, done: int, total: int) -> None:
        return None

    def committing(self, count: int) -> None:
        return None


PROGRESS_EVERY = 100


def check_upload(upload: Any) -> None:
    """The checks of the file itself (size, type by first bytes, zip bomb), without parsing it:
    a refused file is answered at once, before any job is queued. Raises InvalidInput."""
    _check_archive(_read_upload(upload))
    if hasattr(upload, "seek"):
        upload.seek(0)


def import_xlsx(
    upload: Any,
    columns: Sequence[Column],
    write_row: Callable[[dict[str, Any]], Any],
    *,
    max_rows: int = MAX_ROWS,
    progress: ImportProgress | None = None,
) -> int:
    """Read, check and import a workbook, all or nothing. Returns the number of rows written.

    ``write_row`` gets ``{key: value}`` and calls the owning service; an
    ``InvalidInput`` it raises is reported on the row, under the column whose
    key names the field. Raises ``ImportRefused`` with every error.
    """
    sheet = read_xlsx(upload, columns, max_rows=max_rows)
    if sheet.errors:
        raise ImportRefused(sheet.errors)
    return write_rows(sheet, columns, write_row, progress=progress)


def write_rows(
    sheet: Sheet,
    columns: Sequence[Column],
    write_row: Callable[[dict[str, Any]], Any],
    *,
    progress: ImportProgress | None = None,
) -> int:
    progress = progress or ImportProgress()
    errors: list[RowError] = []
    headers = {column.key: column.label() for column in columns}
    total = len(sheet.rows)
    progress.checked(total)
    with transaction.atomic():
        for done, (number, values) in enumerate(sheet.rows, start=1):
            try:
                with transaction.atomic():  # a savepoint, so later rows are still checked on PostgreSQL
                    write_row(values)
            except InvalidInput as exc:
                errors.extend(_row_errors(number, exc, headers))
            if done % PROGRESS_EVERY == 0:
                progress.wrote(done, total)
        if errors:
            raise ImportRefused(errors)
        progress.committing(total)
    return total


def _row_errors(number: int, exc: InvalidInput, headers: Mapping[str, str]) -> list[RowError]:
    fields = exc.extra.get("fields") or {}
    if not fields:
        return [RowError(number, "", exc.message)]
    found: list[RowError] = []
    for name, messages in fields.items():
        column = headers.get(name) or headers.get(name.removesuffix("_id")) or name
        found.extend(RowError(number, column, str(message)) for message in messages)
    return found


def _read_upload(upload: Any) -> bytes:
    limit = settings.UPLOAD_MAX_BYTES
    too_large = InvalidInput(
        _("The file is too large."),
        fields={"file": [_("At most %(mb)s MB.") % {"mb": max(limit // (1024 * 1024), 1)}]},
    )
    if isinstance(upload, bytes | bytearray):
        data = bytes(upload)
    else:
        size = getattr(upload, "size", None)
        if size is not None and size > limit:
            raise too_large
        name = str(getattr(upload, "name", "") or "")
        if name and not name.lower().endswith(".xlsx"):
            raise InvalidInput(
                _("Only Excel workbooks (.xlsx) can be imported."), fields={"file": [_("Choose an .xlsx file.")]}
            )
        if hasattr(upload, "seek"):
            upload.seek(0)
        data = upload.read(limit + 1)
    if len(data) > limit:
        raise too_large
    if not data:
        raise InvalidInput(_("The file is empty."), fields={"file": [_("The file is empty.")]})
    if not data.startswith(XLSX_MAGIC):
        raise InvalidInput(
            _("The file's content is not an Excel workbook."),
            fields={"file": [_("The file is not a real XLSX file.")]},
        )
    return data


def _check_archive(data: bytes) -> None:
    """An xlsx is a zip: refuse one that is damaged, not a workbook, or inflates past the cap."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise InvalidInput(_("The file is damaged."), fields={"file": [_("Not a valid Excel workbook.")]}) from exc
    if len(members) > MAX_ARCHIVE_MEMBERS:
        raise InvalidInput(_("The file unpacks to too much data."), fields={"file": [_("The file is too large.")]})
    # zipfile stops inflating a member at its declared size, so the declared sizes bound the work.
    inflated = sum(member.file_size for member in members)
    if inflated > settings.XLSX_MAX_UNCOMPRESSED_BYTES:
        raise InvalidInput(_("The file unpacks to too much data."), fields={"file": [_("The file is too large.")]})
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise InvalidInput(
            _("The file's content is not an Excel workbook."),
            fields={"file": [_("The file is not a real XLSX file.")]},
        )


def _header_names(column: Column) -> set[str]:
    names = {column.key.casefold(), column.label().strip().casefold()}
    for language in (HEADER_LANGUAGE, "en"):
        with translation.override(language):
            names.add(column.label().strip().casefold())
    return names


def _parse(data: bytes, columns: Sequence[Column], *, max_rows: int) -> Sheet:
    from openpyxl import load_workbook

    workbook = load_workbook(BytesIO(data), read_only=True, data_only=True)
    try:
        if not workbook.worksheets:
            raise InvalidInput(_("The workbook has no sheet."), fields={"file": [_("The workbook has no sheet.")]})
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None)
        sheet = Sheet()
        positions = _map_header(header or (), columns, sheet.errors)
        if sheet.errors:
            return sheet
        checker = _RowChecker(columns)
        for offset, values in enumerate(rows, start=2):
            if values is None or all(_blank(v) for v in values):
                continue
            if len(sheet.rows) >= max_rows:
                raise InvalidInput(
                    _("The file has too many rows."),
                    fields={"file": [_("At most %(count)d rows per file.") % {"count": max_rows}]},
                )
            row = {
                column.key: values[positions[column.key]] if positions[column.key] < len(values) else None
                for column in columns
                if column.key in positions
            }
            sheet.rows.append((offset, checker.check(offset, row, sheet.errors)))
        if not sheet.rows and not sheet.errors:
            sheet.errors.append(RowError(2, "", _("The file has no data rows.")))
        return sheet
    finally:
        workbook.close()


def _map_header(header: Sequence[Any], columns: Sequence[Column], errors: list[RowError]) -> dict[str, int]:
    found: dict[str, int] = {}
    by_name = {name: column for column in columns for name in _header_names(column)}
    for index, cell in enumerate(header):
        if _blank(cell):
            continue
        column = by_name.get(str(cell).strip().casefold())
        if column is None:
            continue  # extra columns (notes, formulas) are ignored
        if column.key in found:
            errors.append(RowError(1, column.label(), _("This column appears twice.")))
            continue
        found[column.key] = index
    for column in columns:
        if column.required and column.key not in found:
            errors.append(RowError(1, column.label(), _("This column is missing.")))
    return found


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class _RowChecker:
    """Converts and checks the cells of one row after another; remembers codes seen for duplicates."""

    def __init__(self, columns: Sequence[Column]):
        self.columns = columns
        self.seen: dict[str, dict[Any, int]] = {c.key: {} for c in columns if c.unique}
        self.references: dict[str, Mapping[str, Any]] = {}
        self.choice_names: dict[str, dict[str, str]] = {}

    def check(self, number: int, row: dict[str, Any], errors: list[RowError]) -> dict[str, Any]:
        clean: dict[str, Any] = {}
        for column in self.columns:
            if column.key not in row:
                continue
            raw = row[column.key]
            if _blank(raw):
                if column.required:
                    errors.append(RowError(number, column.label(), _("This field is required.")))
                clean[column.key] = None
                continue
            try:
                value = self._convert(column, raw)
            except ValueError as exc:
                errors.append(RowError(number, column.label(), str(exc)))
                continue
            if column.unique:
                marker = value.casefold() if isinstance(value, str) else value
                first = self.seen[column.key].setdefault(marker, number)
                if first != number:
                    errors.append(
                        RowError(number, column.label(), _("Duplicate of row %(row)d in this file.") % {"row": first})
                    )
            clean[column.key] = value
        return clean

    def _convert(self, column: Column, raw: Any) -> Any:
        converter = getattr(self, f"_to_{column.kind.value}")
        return converter(column, raw)

    def _to_text(self, column: Column, raw: Any) -> str:
        if isinstance(raw, bool):
            text = _("Yes") if raw else _("No")
        elif isinstance(raw, float) and raw.is_integer():
            text = str(int(raw))
        elif isinstance(raw, datetime.datetime):
            text = raw.date().isoformat() if raw.time() == datetime.time() else raw.isoformat(sep=" ")
        elif isinstance(raw, datetime.date):
            text = raw.isoformat()
        else:
            text = str(raw).strip()
        if CONTROL.search(text):
            raise ValueError(_("Control characters are not allowed."))
        if column.max_length is not None and len(text) > column.max_length:
            raise ValueError(_("At most %(count)d characters.") % {"count": column.max_length})
        if len(text) > MAX_CELL_TEXT:
            raise ValueError(_("At most %(count)d characters.") % {"count": MAX_CELL_TEXT})
        return text

    def _to_integer(self, column: Column, raw: Any) -> int:
        value: int | None = None
        if isinstance(raw, bool):
            value = None
        elif isinstance(raw, int):
            value = raw
        elif isinstance(raw, float) and raw.is_integer():
            value = int(raw)
        elif isinstance(raw, str) and raw.strip().lstrip("+-").isdigit():
            value = int(raw.strip())
        if value is None:
            raise ValueError(_("Enter a whole number."))
        self._check_range(column, value)
        return value

    def _to_decimal(self, column: Column, raw: Any) -> Decimal:
        if isinstance(raw, bool):
            raise ValueError(_("Enter a number."))
        try:
            # repr of a float is its shortest exact decimal form: 0.1 stays 0.1, not 0.1000000000000000055...
            value = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(str(raw).strip().replace(",", ""))
        except (InvalidOperation, ValueError) as exc:
            raise ValueError(_("Enter a number.")) from exc
        if not value.is_finite():
            raise ValueError(_("Enter a number."))
        quantum = Decimal(1).scaleb(-column.decimal_places)
        try:
            rounded = value.quantize(quantum)
        except InvalidOperation as exc:
            raise ValueError(_("The number is too large.")) from exc
        if rounded != value:
            raise ValueError(_("At most %(places)d decimal places.") % {"places": column.decimal_places})
        self._check_range(column, rounded)
        return rounded

    def _to_date(self, column: Column, raw: Any) -> datetime.date:
        if isinstance(raw, datetime.datetime):
            return raw.date()
        if isinstance(raw, datetime.date):
            return raw
        text = str(raw).strip()
        for pattern in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"):
            try:
                return datetime.datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        raise ValueError(_("Enter a date as YYYY-MM-DD."))

    def _to_boolean(self, column: Column, raw: Any) -> bool:
        if isinstance(raw, bool):
            return raw
        text = str(int(raw) if isinstance(raw, float) and raw.is_integer() else raw).strip().casefold()
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        raise ValueError(_("Enter 是 or 否 (yes or no)."))

    def _to_choice(self, column: Column, raw: Any) -> str:
        if column.key not in self.choice_names:
            names: dict[str, str] = {}
            for value, label in column.choices:
                names[str(value).casefold()] = str(value)
                names[str(label).casefold()] = str(value)
                for language in (HEADER_LANGUAGE, "en"):
                    with translation.override(language):
                        names[str(label).casefold()] = str(value)
            self.choice_names[column.key] = names
        found = self.choice_names[column.key].get(self._to_text(column, raw).casefold())
        if found is None:
            allowed = "、".join(str(label) for _value, label in column.choices)
            raise ValueError(_("Choose one of: %(choices)s.") % {"choices": allowed})
        return found

    def _to_reference(self, column: Column, raw: Any) -> Any:
        if column.reference is None:
            raise ValueError(_("Unknown code."))
        if column.key not in self.references:
            self.references[column.key] = column.reference()
        code = self._to_text(column, raw)
        found = self.references[column.key].get(code)
        if found is None:
            raise ValueError(_("Unknown code: %(code)s.") % {"code": code})
        return found

    def _check_range(self, column: Column, value: Decimal | int) -> None:
        if column.min_value is not None and value < column.min_value:
            raise ValueError(_("At least %(value)s.") % {"value": column.min_value})
        if column.max_value is not None and value > column.max_value:
            raise ValueError(_("At most %(value)s.") % {"value": column.max_value})
