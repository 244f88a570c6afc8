"""Import of the platform's invoice XML files: matched to their approved requests and recorded
with the platform's numbers, dates and lines, each in its own transaction."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.utils import timezone

from salesops.receivables.models import Invoice, InvoiceLine, InvoiceRequestState
from salesops.receivables.platform.importing import SourceFile, Status, platform_import
from salesops.receivables.platform.issued import Unreadable
from salesops.receivables.platform.xmlimport import parse_invoice_xml
from salesops.workflow.models import Attachment, DocumentEvent

from .helpers import Sale, invoice_number
from .platform_files import FIXTURES, issued_xml, upload

pytestmark = pytest.mark.django_db

IMPORT_URL = "/receivables/platform/import/"
API_IMPORT = "/api/receivables/platform/import"


def _import(staff, *files: tuple[str, bytes]):
    return platform_import(actor=staff.finance, files=[SourceFile(name, data) for name, data in files])


def _invoice_files():
    """The files attached to invoices (the sale's own papers, contract and receipts, are not)."""
    from django.contrib.contenttypes.models import ContentType

    return Attachment.objects.filter(content_type=ContentType.objects.get_for_model(Invoice))


def _nothing_recorded(request) -> None:
    request.refresh_from_db()
    assert request.state == InvoiceRequestState.APPROVED
    assert not Invoice.objects.exists() and not InvoiceLine.objects.exists() and not _invoice_files().exists()


def test_the_platforms_xml_reads_as_its_invoice():
    # given an XML as the platform gives it (rates written 13% and 0.13, the time after the date)
    data = (FIXTURES / "dzfp_25372000000012345678.xml").read_bytes()

    invoice = parse_invoice_xml(data, source="dzfp_25372000000012345678.xml")

    assert invoice.invoice_number == "25372000000012345678"
    assert invoice.issued_on == datetime.date(2025, 6, 18)
    assert (invoice.kind, invoice.is_red) == ("special", False)
    assert (invoice.buyer_name, invoice.buyer_tax_id) == ("济南示例化工有限公司", "91370100MA3BUYER01")
    assert invoice.seller_tax_id == "91370700MA3EXAMPLE"
    assert (invoice.total_net, invoice.total_tax, invoice.total) == (
        Decimal("11504.43"),
        Decimal("1495.57"),
        Decimal("13000.00"),
    )
    pump, valve = invoice.lines
    assert (pump.name, pump.tax_code, pump.specification, pump.unit) == (
        "*泵*离心泵",
        "1090118010000000000",
        "IS80-65-160",
        "台",
    )
    assert (pump.quantity, pump.unit_price, pump.amount, pump.tax) == (
        Decimal("10.000"),
        Decimal("884.95575221"),
        Decimal("8849.56"),
        Decimal("1150.44"),
    )
    assert pump.tax_rate == valve.tax_rate == Decimal("0.13")
    assert invoice.remark == "合同号 HT202506001"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (("<TotalTaxAm>1495.57</TotalTaxAm>", "<TotalTaxAm>1495.50</TotalTaxAm>"), "total_net"),
        (("<TaxRate>13%</TaxRate>", "<TaxRate>thirteen</TaxRate>"), "lines.0.tax_rate"),
        (("<IssueTime>2025-06-18 10:22:41</IssueTime>", "<IssueTime>18/06/2025</IssueTime>"), "issued_on"),
        (("25372000000012345678<", "<"), "invoice_number"),
        (("<EInvoice>", '<!DOCTYPE x [<!ENTITY a "aaaa">]><EInvoice>'), "file"),
        (("<EInvoice>", "<Invoice>"), "file"),
    ],
)
def test_a_garbled_or_unsafe_xml_is_unreadable_naming_the_value(change, field):
    data = (FIXTURES / "dzfp_25372000000012345678.xml").read_text(encoding="utf-8").replace(*change)
    if change[1] == "<Invoice>":
        data = data.replace("</EInvoice>", "</Invoice>")
    with pytest.raises(Unreadable) as unreadable:
        parse_invoice_xml(data.encode(), source="x.xml")
    assert unreadable.value.field == field


def test_an_xml_matching_a_request_records_its_invoice_with_the_files_number_date_and_lines(staff):
    # given an approved request, and the XML of the invoice the platform issued for it yesterday
    sale = Sale(staff)
    request = sale.approved_invoice_request()
    number, issued_on = invoice_number(), timezone.localdate() - datetime.timedelta(days=1)
    if issued_on.year != timezone.localdate().year:
        issued_on = timezone.localdate()
    data = issued_xml(request, number, issued_on, percent_rates=True)

    # when finance imports it
    [outcome] = _import(staff, (f"dzfp_{number}.xml", data))

    # then it is recorded against the request, with the platform's number, date and lines
    assert outcome.status == Status.RECORDED, (outcome.message, outcome.errors)
    invoice = Invoice.objects.get()
    assert outcome.invoice == invoice and invoice.request == request
    assert (invoice.invoice_number, invoice.issued_on) == (number, issued_on)
    assert invoice.total_amount == request.total_amount
    parsed = parse_invoice_xml(data, source="x.xml")
    recorded = list(invoice.lines.order_by("pk"))
    assert [(line.amount, line.tax, line.tax_rate) for line in recorded] == [
        (line.amount, line.tax, line.tax_rate) for line in parsed.lines
    ]
    assert [line.request_line.order_line_id for line in recorded] == [
        line.order_line_id for line in request.lines.order_by("pk")
    ]
    request.refresh_from_db()
    assert request.state == InvoiceRequestState.INVOICED
    # with the XML attached to the invoice, as uploaded
    attachment = _invoice_files().get()
    assert (attachment.object_id, attachment.original_name) == (invoice.pk, f"dzfp_{number}.xml")
    assert attachment.file.read() == data


def test_the_same_xml_imported_twice_is_reported_already_recorded_not_duplicated(staff):
    sale = Sale(staff)
    request = sale.approved_invoice_request()
    number = invoice_number()
    data = issued_xml(request, number)
    [first] = _import(staff, ("a.xml", data))
    assert first.status == Status.RECORDED

    [again] = _import(staff, ("a.xml", data))

    assert again.status == Status.ALREADY and again.invoice == first.invoice
    assert Invoice.objects.count() == 1 and _invoice_files().count() == 1


def test_a_number_whose_year_is_not_the_issue_year_is_refused_with_the_field(staff):
    sale = Sale(staff)
    request = sale.approved_invoice_request()
    today = timezone.localdate()
    wrong = f"{(today.year - 1) % 100:02d}" + invoice_number()[2:]

    [outcome] = _import(staff, ("wrong.xml", issued_xml(request, wrong, today)))

    assert outcome.status == Status.REFUSED
    assert list(outcome.errors) == ["invoice_number"]
    _nothing_recorded(request)
    assert not DocumentEvent.objects.filter(object_id=request.pk, action="invoice").exists()


@pytest.mark.parametrize("what", ["buyer", "total", "seller"])
def test_an_invoice_that_fits_no_request_is_reported_unmatched_and_nothing_is_written(staff, what):
    sale = Sale(staff)
    request = sale.approved_invoice_request()
    if what == "buyer":
        data = issued_xml(request, invoice_number(), buyer_name="另一家有限公司")
    elif what == "seller":
        from salesops.org.models import Company

        Company.objects.filter(pk=Company.current().pk).update(tax_number="91370700MA3EXAMPLE")
        data = issued_xml(request, invoice_number(), seller_tax_id="91110000600000000X")
    else:
        other = Sale(staff).approved_invoice_request(lines=[(0, "1")])
        data = issued_xml(other, invoice_number(), buyer_name=request.buyer_title)

    [outcome] = _import(staff, ("x.xml", data))

    assert outcome.status == Status.UNMATCHED and outcome.message
    assert outcome.invoice is None and outcome.request is None
    request.refresh_from_db()
    assert request.state == InvoiceRequestState.APPROVED
    if what != "total":
        assert not Invoice.objects.exists() and not _invoice_files().exists()


def test_two_requests_that_both_fit_are_never_guessed_between(staff):
    sale = Sale(staff)
    first = sale.approved_invoice_request(lines=[(0, "1")])
    second = sale.approved_invoice_request(lines=[(0, "1")])

    [outcome] = _import(staff, ("x.xml", issued_xml(first, invoice_number())))

    assert outcome.status == Status.UNMATCHED
    assert first.number in outcome.message and second.number in outcome.message
    assert not Invoice.objects.exists()


def test_a_zip_of_xmls_with_their_pdfs_records_each_invoice_with_both_files(staff):
    # given two approved requests of two customers, and the platform's download of their invoices
    one, two = Sale(staff).approved_invoice_request(), Sale(staff).approved_invoice_request()
    numbers = [invoice_number(), invoice_number()]
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        for request, number in zip((one, two), numbers, strict=True):
            zipped.writestr(f"发票/dzfp_{number}_{request.buyer_title}.xml", issued_xml(request, number))
            zipped.writestr(f"发票/dzfp_{number}_{request.buyer_title}.pdf", b"%PDF-1.7\n% the printed invoice\n")
        zipped.writestr("发票/readme.txt", b"not an invoice")

    outcomes = _import(staff, ("发票下载.zip", archive.getvalue()))

    assert sorted(outcome.status for outcome in outcomes) == [Status.RECORDED, Status.RECORDED]
    for request, number in zip((one, two), numbers, strict=True):
        invoice = Invoice.objects.get(invoice_number=number)
        assert invoice.request == request
        names = set(_invoice_files().filter(object_id=invoice.pk).values_list("original_name", flat=True))
        assert names == {f"dzfp_{number}_{request.buyer_title}.xml", f"dzfp_{number}_{request.buyer_title}.pdf"}


def test_one_refused_invoice_does_not_undo_the_others(staff):
    good, bad = Sale(staff).approved_invoice_request(), Sale(staff).approved_invoice_request()
    wrong = f"{(timezone.localdate().year - 1) % 100:02d}" + invoice_number()[2:]

    outcomes = _import(staff, ("bad.xml", issued_xml(bad, wrong)), ("good.xml", issued_xml(good, invoice_number())))

    assert [outcome.status for outcome in outcomes] == [Status.REFUSED, Status.RECORDED]
    assert Invoice.objects.get().request == good
    bad.refresh_from_db()
    assert bad.state == InvoiceRequestState.APPROVED


def test_import_page_lists_each_invoice_and_says_each_is_its_own_transaction(staff, client):
    sale = Sale(staff)
    request = sale.approved_invoice_request()
    number = invoice_number()
    client.force_login(staff.finance)
    page = client.get(IMPORT_URL)
    assert page.status_code == 200 and 'data-testid="transaction-note"' in page.content.decode()

    answer = client.post(
        IMPORT_URL,
        {"files": [upload(f"{number}.xml", issued_xml(request, number)), upload("notes.txt", b"hello")]},
    )

    assert answer.status_code == 200
    body = answer.content.decode()
    assert 'data-status="recorded"' in body and 'data-status="unreadable"' in body
    assert 'data-testid="transaction-note"' in body and number in body
    assert Invoice.objects.get().invoice_number == number


def test_only_finance_may_import(staff, client, api_client):
    sale = Sale(staff)
    request = sale.approved_invoice_request()
    number = invoice_number()
    data = issued_xml(request, number)
    for user in (staff.sales_a, staff.manager1, staff.back_office):
        client.force_login(user)
        assert client.get(IMPORT_URL).status_code == 403
        assert client.post(IMPORT_URL, {"files": [upload("a.xml", data)]}).status_code == 403
        assert api_client(user).post(API_IMPORT, {"files": [upload("a.xml", data)]}).status_code == 403
    client.logout()
    assert client.post(API_IMPORT, {"files": [upload("a.xml", data)]}).status_code == 401
    _nothing_recorded(request)

    answer = api_client(staff.finance).post(API_IMPORT, {"files": [upload("a.xml", data)]})

    assert answer.status_code == 200
    [outcome] = answer.json()["outcomes"]
    assert outcome["status"] == "recorded" and outcome["invoice_number"] == number
    assert outcome["invoice_id"] == Invoice.objects.get().pk and outcome["request_id"] == request.pk
