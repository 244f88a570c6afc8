"""The customer's unified social credit code (统一社会信用代码) and the 数电专票 rule, on the model:
the check character, the length, the characters, one stored spelling."""

import pytest
from django.db import IntegrityError, transaction

from salesops.core.errors import InvalidInput, validate
from salesops.customers.models import Customer, InvoiceKind
from salesops.customers.tests.factories import CustomerFactory
from salesops.customers.uscc import normalise

pytestmark = pytest.mark.django_db

VALID = "91370102MA3C5K2P87"  # check character computed by stdnum.cn.uscc
VALID_WITH_LETTER_CHECK = "93370181MA3N0Q4T1E"


def errors_of(customer) -> dict[str, list[str]]:
    with pytest.raises(InvalidInput) as caught:
        validate(customer)
    return caught.value.extra["fields"]


@pytest.mark.parametrize("code", [VALID, VALID_WITH_LETTER_CHECK, "91110000600037341L"])
def test_a_valid_code_is_accepted(staff, code):
    customer = CustomerFactory.build(owner=staff.sales_a, region=staff.region, tax_number=code)
    validate(customer)
    assert customer.tax_number == code


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("91370102ma3c5k2p87", VALID),  # lower case
        (" 9137 0102 MA3C 5K2P 87 ", VALID),  # grouped as printed on some licences
        ("91370102-MA3C5K2P8-7", VALID),
        ("９１３７０１０２ＭＡ３Ｃ５Ｋ２Ｐ８７", VALID),  # full-width, from a Chinese input method
        ("93370181ma3n0q4t1e\u3000", VALID_WITH_LETTER_CHECK),  # an ideographic space at the end
    ],
)
def test_a_code_is_stored_compact_and_upper_case(staff, typed, stored):
    customer = CustomerFactory.build(owner=staff.sales_a, region=staff.region, tax_number=typed)
    validate(customer)
    assert customer.tax_number == stored
    assert normalise(typed) == stored


@pytest.mark.parametrize(
    ("code", "why"),
    [
        ("91370102MA3C5K2P88", "uscc_checksum"),  # last character changed
        ("91370102MA3C5K2P78", "uscc_checksum"),  # two characters swapped
        ("91370102MA3C5K2P8", "uscc_length"),  # 17
        ("91370102MA3C5K2P870", "uscc_length"),  # 19
        ("91370102MA3C5K2PI7", "uscc_format"),  # I is not used
        ("9137010AMA3C5K2P87", "uscc_format"),  # the first 8 are digits
    ],
)
def test_an_invalid_code_is_refused_on_its_field_with_its_reason(staff, code, why):
    from django.core.exceptions import ValidationError

    from salesops.customers.uscc import validate_uscc

    customer = CustomerFactory.build(owner=staff.sales_a, region=staff.region, tax_number=code)
    assert list(errors_of(customer)) == ["tax_number"]
    with pytest.raises(ValidationError) as caught:
        validate_uscc(normalise(code))
    assert caught.value.code == why


def test_the_special_invoice_needs_the_code(staff):
    # given a customer whose default invoice is the 数电专票 but who has no code
    customer = CustomerFactory.build(
        owner=staff.sales_a, region=staff.region, default_invoice_kind=InvoiceKind.SPECIAL, tax_number=""
    )
    # then the code is asked for, on its field
    assert list(errors_of(customer)) == ["tax_number"]
    # and with a valid code it is accepted
    customer.tax_number = VALID
    validate(customer)


def test_the_special_invoice_with_a_wrong_code_names_only_the_code(staff):
    customer = CustomerFactory.build(
        owner=staff.sales_a,
        region=staff.region,
        default_invoice_kind=InvoiceKind.SPECIAL,
        tax_number="91370102MA3C5K2P88",
    )
    fields = errors_of(customer)
    assert list(fields) == ["tax_number"] and len(fields["tax_number"]) == 1


def test_the_ordinary_invoice_needs_no_code(staff):
    customer = CustomerFactory.build(owner=staff.sales_a, region=staff.region)
    assert customer.default_invoice_kind == InvoiceKind.ORDINARY
    validate(customer)


def test_the_database_refuses_a_special_invoice_customer_without_a_code(staff):
    # a writer that skips the model's rules (bulk_create, raw update) still cannot store it
    customer = CustomerFactory(owner=staff.sales_a, region=staff.region)
    with pytest.raises(IntegrityError), transaction.atomic():
        Customer.objects.filter(pk=customer.pk).update(default_invoice_kind=InvoiceKind.SPECIAL)
    assert Customer.objects.get(pk=customer.pk).default_invoice_kind == InvoiceKind.ORDINARY


def test_the_buyer_name_is_the_invoice_title_or_the_customer_name(staff):
    customer = CustomerFactory.build(owner=staff.sales_a, region=staff.region, name="德州农机站")
    assert customer.invoice_buyer_name == "德州农机站"
    customer.invoice_title = "德州市陵城区农业机械化技术推广站"
    assert customer.invoice_buyer_name == "德州市陵城区农业机械化技术推广站"
