"""The copies (联) of a printed form as company configuration: declared defaults, the
administrator's own set (service, settings page, admin), the print buttons per paper size, and
what ``register_document`` refuses."""

import dataclasses

import pytest
from django.urls import reverse

from salesops.core.errors import Forbidden, InvalidInput, NotFound
from salesops.core.pdf import A4, CONTINUOUS_HALF, CONTINUOUS_THIRD, FOUR_PART_COPIES, FormCopy
from salesops.expenses.tests.factories import customer, special_fee
from salesops.workflow import registry
from salesops.workflow.models import PrintCopy
from salesops.workflow.printing import copies_chosen, copies_of, print_copies_set
from salesops.workflow.registry import document_type, register_document
from salesops.workflow.tests.kitapp.models import Memo
from salesops.workflow.tests.kitapp.workflows import MEMO_FLOW

pytestmark = pytest.mark.django_db

MEMO = "workflow_kit.memo"
EDIT_URL = reverse("workflow:print-copies-edit", args=[MEMO])


def marks(copies) -> list[tuple[int, str, str, str, str]]:
    return [(c.position, c.name, c.purpose, c.colour_label, c.colour) for c in copies]


def rows() -> list[tuple[int, str, str, str, str]]:
    return marks(PrintCopy.objects.filter(doc_type=MEMO).order_by("position"))


THREE = [FormCopy("第一联", "财务联", "白", "#333333"), FormCopy("第二联", "提货联", "粉", "#d81b60")]


# --- the service --------------------------------------------------------------------------------


def test_a_type_prints_its_declared_copies_until_the_company_sets_its_own(staff):
    entry = document_type(MEMO)
    assert marks(copies_of(entry)) == marks(entry.print_copies)
    assert [c.position for c in entry.print_copies] == [1, 2, 3, 4]

    print_copies_set(actor=staff.admin, doc_type=MEMO, copies=THREE)
    assert rows() == [(1, "第一联", "财务联", "白", "#333333"), (2, "第二联", "提货联", "粉", "#d81b60")]
    assert marks(copies_of(entry)) == rows()
    assert [c.name for c in copies_chosen(entry, ["2"])] == ["第二联"]

    # no copies: back to the declaration
    print_copies_set(actor=staff.admin, doc_type=MEMO, copies=[])
    assert rows() == [] and marks(copies_of(entry)) == marks(entry.print_copies)
    assert [c.purpose for c in entry.print_copies] == [c.purpose for c in FOUR_PART_COPIES]


@pytest.mark.parametrize("who", ["sales_a", "manager1", "boss", "back_office"])
def test_only_an_administrator_sets_the_copies(staff, who):
    print_copies_set(actor=staff.admin, doc_type=MEMO, copies=THREE)
    with pytest.raises(Forbidden):
        print_copies_set(actor=getattr(staff, who), doc_type=MEMO, copies=[])
    assert len(rows()) == 2


@pytest.mark.parametrize(
    "bad", [FormCopy("", "财务联", "白"), FormCopy("第一联", "联" * 21, "白"), FormCopy("第一联", "财务联", "")]
)
def test_a_bad_copy_changes_nothing(staff, bad):
    print_copies_set(actor=staff.admin, doc_type=MEMO, copies=THREE)
    with pytest.raises(InvalidInput) as refused:
        print_copies_set(actor=staff.admin, doc_type=MEMO, copies=[THREE[0], bad])
    assert list(refused.value.extra["fields"]) == ["copies"]
    assert len(rows()) == 2 and rows()[1][2] == "提货联"


def test_only_a_printed_form_has_copies(staff):
    with pytest.raises(InvalidInput):
        print_copies_set(actor=staff.admin, doc_type="deals.inquiry", copies=THREE)
    with pytest.raises(NotFound):
        print_copies_set(actor=staff.admin, doc_type="deals.nothing", copies=THREE)
    assert not PrintCopy.objects.exists()


def test_a_mark_colour_is_a_hex_colour_and_nothing_else():
    with pytest.raises(ValueError):
        FormCopy("第一联", "存根", "白", "red; background: url(http://x/)")


# --- the settings page ----------------------------------------------------------------------


def test_the_administrator_sets_the_copies_on_the_settings_page(staff, web_client):
    client = web_client(staff.admin)
    # the list shows the memo's declared copies, and the form starts from them
    listing = client.get(reverse("workflow:print-copies")).content.decode()
    assert "第四联 回单联（黄）" in listing and EDIT_URL in listing
    assert "第二联 仓库联 红 #c62828" in client.get(EDIT_URL).content.decode()
    # when three copies are saved, one without its mark colour
    text = "第一联 财务联 白\n\n第二联 提货联 粉 #d81b60\n第三联 签收联 绿"
    response = client.post(EDIT_URL, {"copies": text})
    assert response.status_code == 302 and response["Location"] == reverse("workflow:print-copies")
    # then they are the company's, the usual colour of the paper where none was given
    assert rows() == [
        (1, "第一联", "财务联", "白", "#333333"),
        (2, "第二联", "提货联", "粉", "#d81b60"),
        (3, "第三联", "签收联", "绿", "#2e7d32"),
    ]
    # and emptied, the declared copies hold again
    assert client.post(EDIT_URL, {"copies": ""}).status_code == 302
    assert rows() == []


@pytest.mark.parametrize("text", ["第一联 财务联", "第一联 财务联 白 red", "第一联 财务联 白 #d81b60 多余"])
def test_a_line_that_does_not_parse_is_named_and_nothing_changes(staff, web_client, text):
    response = web_client(staff.admin).post(EDIT_URL, {"copies": f"第一联 存根 白\n{text}"})
    assert response.status_code == 422
    assert "2" in response.context["form"].errors["copies"][0]
    assert rows() == []


def test_only_the_administrator_opens_the_settings(staff, web_client):
    for who in (staff.sales_a, staff.manager1, staff.boss):
        client = web_client(who)
        assert client.get(reverse("workflow:print-copies")).status_code == 403
        assert client.get(EDIT_URL).status_code == 403
        assert client.post(EDIT_URL, {"copies": "第一联 财务联 白"}).status_code == 403
    assert rows() == []
    assert web_client(staff.admin).get(reverse("workflow:print-copies-edit", args=["deals.inquiry"])).status_code == 404


def test_the_admin_site_edits_the_copies(staff, web_client):
    client = web_client(staff.admin)
    data = {"doc_type": MEMO, "position": "1", "name": "第一联", "purpose": "财务联", "colour_label": "白"}
    response = client.post(reverse("admin:workflow_printcopy_add"), {**data, "colour": "#333"})
    assert response.status_code == 200 and not PrintCopy.objects.exists()  # #RGB is refused
    assert client.post(reverse("admin:workflow_printcopy_add"), {**data, "colour": "#333333"}).status_code == 302
    assert rows() == [(1, "第一联", "财务联", "白", "#333333")]
    assert web_client(staff.sales_a).get(reverse("admin:workflow_printcopy_changelist")).status_code == 302


# --- the print buttons ------------------------------------------------------------------------


@pytest.fixture
def fee_on_three_papers(monkeypatch):
    """The special fee's type, printed on three papers for the test (its real declaration: A4 only)."""
    entry = document_type("expenses.specialfee")
    papers = (CONTINUOUS_HALF, CONTINUOUS_THIRD, A4)
    monkeypatch.setitem(registry._types, entry.label, dataclasses.replace(entry, print_sizes=papers))


def test_a_type_on_several_papers_offers_each_under_its_print_button(staff, web_client, fee_on_three_papers):
    fee = special_fee(staff.sales_a, customer(staff, staff.sales_a))
    html = web_client(staff.sales_a).get(fee.get_absolute_url()).content.decode()
    url = reverse("workflow:document-print", args=["expenses.specialfee", fee.pk])
    assert f'href="{url}" target="_blank" rel="noopener" data-testid="print"' in html
    for key, label in (("241x140", "241×140"), ("241x93", "241×93"), ("a4", "A4")):
        assert f'href="{url}?size={key}" target="_blank" rel="noopener" data-testid="print-{key}">{label}<' in html


def test_a_type_on_one_paper_has_a_plain_print_button(staff, web_client):
    fee = special_fee(staff.sales_a, customer(staff, staff.sales_a))
    html = web_client(staff.sales_a).get(fee.get_absolute_url()).content.decode()
    assert 'data-testid="print"' in html and 'data-testid="print-sizes"' not in html and "?size=" not in html


# --- the declaration --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "declared",
    [
        {"print_copies": FOUR_PART_COPIES},  # copies without a printed form
        {"print_sizes": (CONTINUOUS_HALF,)},  # a paper without a printed form
        {"print_template": "x.html", "print_states": ("approved",), "print_sizes": ()},
        {"print_template": "x.html", "print_states": ("approved",), "print_sizes": (A4, A4)},
    ],
)
def test_a_declaration_that_cannot_print_is_refused_at_start(monkeypatch, declared):
    monkeypatch.setitem(registry._types, MEMO, document_type(MEMO))  # restored after the test
    with pytest.raises(ValueError):
        register_document(Memo, flow=MEMO_FLOW, **declared)
