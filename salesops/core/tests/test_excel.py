"""core.excel: Chinese headers out; every row checked, errors by (row, column), all or nothing in."""

import datetime
import zipfile
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook, load_workbook

from salesops.core import excel
from salesops.core.errors import InvalidInput
from salesops.core.excel import Column, Kind
from salesops.core.models import NumberSequence

COLUMNS = [
    Column("code", _("code"), required=True, max_length=5, unique=True),
    Column("amount", "金额", Kind.DECIMAL, required=True, min_value=Decimal("0")),
    Column("count", "数量", Kind.INTEGER),
    Column("on", "日期", Kind.DATE),
    Column("flag", "有效", Kind.BOOLEAN),
    Column("kind", "类型", Kind.CHOICE, choices=[("a", "甲"), ("b", "乙")]),
    Column("ref", "区域编码", Kind.REFERENCE, reference=lambda: {"SD": "山东", "JS": "江苏"}),
]
HEADER = ["编码", "金额", "数量", "日期", "有效", "类型", "区域编码"]


@pytest.fixture(autouse=True)
def chinese():
    """The sheets' headers are the Chinese labels, whatever language an earlier test left active."""
    with translation.override("zh-hans"):
        yield


def workbook(rows, header=HEADER) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("data.xlsx", buffer.getvalue())


def test_good_rows_are_converted():
    # given cells as Excel users type them: numbers, text, dates, 是/否, labels and codes
    upload = workbook(
        [
            ["A1", 12.5, 3, datetime.datetime(2026, 5, 1), "是", "甲", "SD"],
            ["A2", "1,200.10", "4", "2026/05/02", False, "b", "JS"],
        ]
    )
    # when read
    sheet = excel.read_xlsx(upload, COLUMNS)
    # then every value has its type, money is an exact Decimal
    assert sheet.errors == []
    first, second = (values for _number, values in sheet.rows)
    assert first == {
        "code": "A1",
        "amount": Decimal("12.50"),
        "count": 3,
        "on": datetime.date(2026, 5, 1),
        "flag": True,
        "kind": "a",
        "ref": "山东",
    }
    assert second["amount"] == Decimal("1200.10") and second["on"] == datetime.date(2026, 5, 2)
    assert (second["flag"], second["kind"], second["count"]) == (False, "b", 4)
    assert [number for number, _values in sheet.rows] == [2, 3]


def test_every_bad_cell_is_reported_with_row_and_column():
    upload = workbook(
        [
            ["A1", 1.005, "x", "tomorrow", "maybe", "丙", "XX"],
            ["", -1, None, None, None, None, None],
            ["TOOLONG", 1, None, None, None, None, None],
            ["A1", 1, None, None, None, None, None],
        ]
    )
    sheet = excel.read_xlsx(upload, COLUMNS)
    found = {(e.row, e.column) for e in sheet.errors}
    assert found == {
        (2, "金额"),
        (2, "数量"),
        (2, "日期"),
        (2, "有效"),
        (2, "类型"),
        (2, "区域编码"),
        (3, "编码"),
        (3, "金额"),
        (4, "编码"),
        (5, "编码"),  # duplicate of row 2
    }
    messages = {(e.row, e.column): e.message for e in sheet.errors}
    assert "2" in messages[(2, "金额")]  # at most 2 decimal places
    assert "XX" in messages[(2, "区域编码")]


def test_a_missing_required_column_is_reported_on_the_header_row():
    sheet = excel.read_xlsx(workbook([["A1"]], header=["编码"]), COLUMNS)
    assert [(e.row, e.column) for e in sheet.errors] == [(1, "金额")]


def test_english_headers_and_keys_are_understood_and_extra_columns_ignored():
    sheet = excel.read_xlsx(workbook([["A1", "7", "x"]], header=["code", "amount", "备注"]), COLUMNS)
    assert sheet.errors == []
    assert sheet.rows[0][1] == {"code": "A1", "amount": Decimal("7.00")}


def test_an_empty_sheet_is_an_error():
    sheet = excel.read_xlsx(workbook([]), COLUMNS)
    assert len(sheet.errors) == 1


@pytest.mark.django_db
def test_import_writes_every_row_in_one_transaction():
    upload = workbook([["P1", 1, 1], ["P2", 2, 2]], header=["编码", "金额", "数量"])

    def write(values):
        NumberSequence.objects.create(prefix=values["code"], period="202601", last=values["count"])

    assert excel.import_xlsx(upload, COLUMNS, write) == 2
    assert NumberSequence.objects.count() == 2


@pytest.mark.django_db
def test_a_bad_cell_imports_nothing_and_writes_nothing():
    upload = workbook([["P1", 1], ["P2", "abc"]], header=["编码", "金额"])
    calls = []
    with pytest.raises(excel.ImportRefused) as caught:
        excel.import_xlsx(upload, COLUMNS, calls.append)
    assert calls == []
    assert caught.value.status == 422
    assert caught.value.extra["rows"] == [{"row": 3, "column": "金额", "message": caught.value.errors[0].message}]


@pytest.mark.django_db
def test_a_row_the_service_refuses_rolls_back_every_row():
    # given the writer refuses row 3 (the service's own rule), after rows 2 was written
    upload = workbook([["P1", 1], ["P2", 2], ["P3", 3]], header=["编码", "金额"])

    def write(values):
        if values["code"] == "P2":
            raise InvalidInput("bad", fields={"amount": ["too much"]})
        NumberSequence.objects.create(prefix=values["code"], period="202601")

    # when imported
    with pytest.raises(excel.ImportRefused) as caught:
        excel.import_xlsx(upload, COLUMNS, write)
    # then the refusal names row and column, and no row stays
    assert [(e.row, e.column, e.message) for e in caught.value.errors] == [(3, "金额", "too much")]
    assert not NumberSequence.objects.exists()


def test_export_writes_chinese_headers_and_keeps_text_as_text():
    class Row:
        code = '=HYPERLINK("http://evil")'
        amount = Decimal("12.30")
        count = 2
        on = datetime.date(2026, 1, 2)
        flag = True
        kind = "b"
        ref = "SD"

    content = excel.export_xlsx([Row()], COLUMNS, title="测试")
    sheet = load_workbook(BytesIO(content)).worksheets[0]
    header, row = list(sheet.iter_rows(values_only=True))
    assert header == tuple(HEADER)
    assert row[0] == Row.code  # stored as text, not a formula
    assert sheet.cell(row=2, column=1).data_type == "s"
    assert row[1] == 12.3 and sheet.cell(row=2, column=2).number_format == "0.00"
    assert row[4:6] == ("是", "乙")


TEXT = [Column("text", "文本")]


def _sheet_xml(content: bytes) -> str:
    with zipfile.ZipFile(BytesIO(content)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


def test_text_that_starts_like_a_formula_is_quoted_text_never_a_formula():
    # given text starting as OWASP lists for formula injection
    starts = ['=HYPERLINK("http://evil","x")', "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1", "普通文本"]
    rows = [type("Row", (), {"text": text}) for text in starts]
    # when exported
    content = excel.export_xlsx(rows, TEXT)
    # then no cell holds a formula, each is a string, and the risky ones carry the quote prefix
    assert "<f>" not in _sheet_xml(content)
    sheet = load_workbook(BytesIO(content)).worksheets[0]
    cells = [sheet.cell(row=n, column=1) for n in range(2, len(starts) + 2)]
    assert [c.value for c in cells] == starts
    assert {c.data_type for c in cells} == {"s"}
    assert [bool(c.quotePrefix) for c in cells] == [True] * 5 + [False]


def test_a_stored_control_character_cannot_make_an_export_fail():
    # given text stored before input refused control characters (XML cannot hold them)
    row = type("Row", (), {"text": "潍坊\x01农机\x00\ud800"})
    # when exported
    content = excel.export_xlsx([row], TEXT)
    # then the sheet is written, with U+FFFD where each character was
    sheet = load_workbook(BytesIO(content)).worksheets[0]
    assert sheet.cell(row=2, column=1).value == "潍坊\ufffd农机\ufffd\ufffd"


def test_an_imported_cell_with_a_control_character_is_a_row_error():
    # given a sheet whose code cell holds U+007F (XML can carry it, the database should not get it)
    upload = workbook([["A\x7f1", 1, None, None, None, None, None]])
    # when read
    sheet = excel.read_xlsx(upload, COLUMNS)
    # then the cell is refused by row and column
    assert [(e.row, e.column) for e in sheet.errors] == [(2, "编码")]


def test_exported_sheet_reads_back():
    class Row:
        code, amount, count, on, flag, kind, ref = "A1", Decimal("0.10"), 1, datetime.date(2026, 1, 2), False, "a", "SD"

    sheet = excel.read_xlsx(excel.export_xlsx([Row()], COLUMNS), COLUMNS)
    assert sheet.errors == []
    assert sheet.rows[0][1]["amount"] == Decimal("0.10") and sheet.rows[0][1]["ref"] == "山东"


# Refused before parsing (RELIABILITY.md T13)


def refused(upload) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        excel.read_xlsx(upload, COLUMNS)
    assert "file" in caught.value.extra["fields"]
    return caught.value


def test_an_oversize_file_is_refused(settings):
    settings.UPLOAD_MAX_BYTES = 1000
    refused(SimpleUploadedFile("big.xlsx", b"PK\x03\x04" + b"0" * 2000))
    refused(b"PK\x03\x04" + b"0" * 2000)


def test_wrong_magic_bytes_are_refused():
    refused(SimpleUploadedFile("fake.xlsx", b"%PDF-1.7 not a workbook"))
    refused(SimpleUploadedFile("fake.xlsx", b"a,b,c\n1,2,3\n"))


def test_another_extension_or_empty_file_is_refused():
    refused(SimpleUploadedFile("data.xls", workbook([]).read()))
    refused(SimpleUploadedFile("data.xlsx", b""))


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    refused(SimpleUploadedFile("data.xlsx", buffer.getvalue()))


def test_a_damaged_zip_is_refused():
    refused(SimpleUploadedFile("data.xlsx", b"PK\x03\x04" + b"\x00" * 100))


def test_a_zip_bomb_is_refused(settings):
    # given a small file that inflates past the cap
    settings.XLSX_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (4 * 1024 * 1024))
    assert len(buffer.getvalue()) < 20_000
    error = refused(SimpleUploadedFile("bomb.xlsx", buffer.getvalue()))
    assert error.status == 422


def test_a_valid_zip_with_broken_workbook_xml_is_refused_not_crashed():
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types")
        archive.writestr("xl/workbook.xml", "<<<")
    refused(SimpleUploadedFile("broken.xlsx", buffer.getvalue()))
