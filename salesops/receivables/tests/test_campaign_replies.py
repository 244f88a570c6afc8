"""A statement's send and reply forms (R13), and the statements whose reply is overdue: the page,
and the salesperson's My tasks."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from salesops.fulfilment.tests.helpers import scan
from salesops.receivables.models import SendMethod, Statement, StatementState
from salesops.receivables.selectors.statements import unanswered_list, unanswered_tasks
from salesops.workflow.inbox import my_tasks
from salesops.workflow.models import Attachment, DocumentEvent

from .statement_data import after_reply_due, campaign, paying_customer, sent, statement_of

pytestmark = pytest.mark.django_db


def _statement(staff, owner=None) -> Statement:
    customer = paying_customer(staff, owner)
    return statement_of(campaign(staff), customer)


def _events(statement) -> int:
    kind = ContentType.objects.get_for_model(Statement)
    return DocumentEvent.objects.filter(content_type=kind, object_id=statement.pk).count()


def test_the_send_form_records_how_and_to_whom(staff, web_client):
    statement = _statement(staff)
    client = web_client(staff.sales_a)
    url = reverse("receivables:statement-send", args=[statement.pk])
    assert client.get(url).status_code == 200
    refused = client.post(url, {"method": "", "sent_to": " "})
    assert refused.status_code == 422 and set(refused.context["form"].errors) == {"method", "sent_to"}
    assert Statement.objects.get(pk=statement.pk).state == StatementState.ISSUED
    answer = client.post(url, {"method": SendMethod.WECHAT, "sent_to": "李会计 微信"})
    assert answer.status_code == 302
    statement.refresh_from_db()
    assert (statement.state, statement.sent_by, statement.sent_to) == (StatementState.SENT, "wechat", "李会计 微信")
    assert statement.reply_due > timezone.localdate()
    # sent once: the form is not offered again
    again = client.get(url)
    assert again.status_code == 302 and again["Location"] == statement.get_absolute_url()


def test_the_send_form_offers_the_invoice_email(staff, web_client):
    customer = paying_customer(staff, email="cw@example.cn")
    statement = statement_of(campaign(staff), customer)
    form = web_client(staff.finance).get(reverse("receivables:statement-send", args=[statement.pk])).context["form"]
    assert (form["method"].value(), form["sent_to"].value()) == ("email", "cw@example.cn")
    assert "tax_account" not in dict(form.fields["method"].choices)


def test_an_agreed_reply_without_the_stamped_scan_is_refused_on_the_scan_and_changes_nothing(staff, web_client):
    statement = sent(_statement(staff), staff.sales_a)
    events = _events(statement)
    url = reverse("receivables:statement-agree", args=[statement.pk])
    client = web_client(staff.sales_a)
    refused = client.post(url, {"replied_on": timezone.localdate(), "signatory": "李会计"})
    assert refused.status_code == 422
    assert set(refused.context["form"].errors) == {"scan"}
    assert 'data-field-error="scan"' in refused.content.decode()
    statement.refresh_from_db()
    assert statement.state == StatementState.SENT and statement.signatory == "" and _events(statement) == events
    # then with it
    answer = client.post(url, {"replied_on": timezone.localdate(), "signatory": "李会计", "scan": scan()})
    assert answer.status_code == 302
    statement.refresh_from_db()
    assert (statement.state, statement.signatory) == (StatementState.AGREED, "李会计")
    kind = ContentType.objects.get_for_model(Statement)
    assert Attachment.objects.filter(content_type=kind, object_id=statement.pk).count() == 1


def test_a_disagreed_reply_stores_each_filled_row_of_differences(staff, web_client):
    statement = sent(_statement(staff), staff.finance)
    url = reverse("receivables:statement-disagree", args=[statement.pk])
    client = web_client(staff.finance)
    page = client.get(url, {"rows": 8})
    assert page.content.decode().count('data-testid="difference-row"') == 8
    base = {"replied_on": timezone.localdate(), "signatory": "王会计", "rows": 8}
    # nothing listed: refused on the first row; a row without its entry: refused on that row
    refused = client.post(url, base)
    assert refused.status_code == 422 and set(refused.context["form"].errors) == {"item_0"}
    refused = client.post(url, {**base, "item_0": "SK 收款", "ours": "1", "theirs_3": "200.00"})
    assert refused.status_code == 422 and set(refused.context["form"].errors) == {"item_3"}
    assert Statement.objects.get(pk=statement.pk).state == StatementState.SENT
    answer = client.post(
        url,
        {
            **base,
            "item_0": "SK 收款 800.00",
            "ours_0": "-800.00",
            "theirs_0": "-700.00",
            "note_0": "我方只付 700",
            "item_4": "运费",
            "theirs_4": "50.00",
        },
    )
    assert answer.status_code == 302
    statement.refresh_from_db()
    assert statement.state == StatementState.DISAGREED and statement.signatory == "王会计"
    assert statement.differences == [
        {"item": "SK 收款 800.00", "ours": "-800.00", "theirs": "-700.00", "note": "我方只付 700"},
        {"item": "运费", "ours": "", "theirs": "50.00", "note": ""},
    ]
    html = client.get(statement.get_absolute_url()).content.decode()
    assert "我方只付 700" in html


def test_a_reply_to_a_statement_not_sent_is_not_offered(staff, web_client):
    statement = _statement(staff)
    answer = web_client(staff.finance).get(reverse("receivables:statement-agree", args=[statement.pk]))
    assert answer.status_code == 302
    refused = web_client(staff.finance).post(
        reverse("receivables:statement-agree", args=[statement.pk]),
        {"replied_on": timezone.localdate(), "signatory": "李", "scan": scan()},
    )
    assert refused.status_code == 409
    assert Statement.objects.get(pk=statement.pk).state == StatementState.ISSUED


def test_a_statement_is_unanswered_after_its_reply_date(staff, web_client, monkeypatch):
    mine, theirs = paying_customer(staff), paying_customer(staff, staff.sales_b)
    run = campaign(staff)
    late = sent(statement_of(run, mine), staff.sales_a)
    other = sent(statement_of(run, theirs), staff.finance)  # sales_b's customer, sent the same day
    day = after_reply_due(late)
    assert not unanswered_list(user=staff.finance, today=late.reply_due).exists()
    assert set(unanswered_list(user=staff.finance, today=day)) == {late, other}
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)
    # the page: the salesperson sees their own, finance all
    url = reverse("receivables:statement-unanswered")
    mine = web_client(staff.sales_a).get(url).content.decode()
    assert late.number in mine and other.number not in mine
    every = web_client(staff.finance).get(url).content.decode()
    assert late.number in every and other.number in every
    # My tasks: the owner is asked to chase it
    tasks = [task for task in my_tasks(staff.sales_a) if task.kind == "chase_reply"]
    assert [task.number for task in tasks] == [late.number]
    assert unanswered_tasks(staff.finance) == []
    # replied: no longer unanswered
    from salesops.receivables import services

    services.statement_reply(
        statement=late, actor=staff.sales_a, agreed=True, replied_on=late.reply_due, signatory="李", scan=scan()
    )
    assert late.number not in web_client(staff.sales_a).get(url).content.decode()
    assert [task for task in my_tasks(staff.sales_a) if task.kind == "chase_reply"] == []


def test_the_statement_page_warns_once_the_reply_is_overdue(staff, web_client, monkeypatch):
    late = sent(_statement(staff), staff.sales_a)
    client = web_client(staff.sales_a)
    assert 'data-testid="reply-overdue"' not in client.get(late.get_absolute_url()).content.decode()
    day = after_reply_due(late)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)
    assert 'data-testid="reply-overdue"' in client.get(late.get_absolute_url()).content.decode()


def test_the_unanswered_list_filters_by_salesperson_and_campaign(staff, web_client, monkeypatch):
    mine, theirs = paying_customer(staff), paying_customer(staff, staff.sales_b)
    run = campaign(staff)
    late = sent(statement_of(run, mine), staff.finance)
    other = sent(statement_of(run, theirs), staff.finance)
    day = after_reply_due(late)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)
    url = reverse("receivables:statement-unanswered")
    client = web_client(staff.finance)
    html = client.get(url, {"owner": staff.sales_b.pk}).content.decode()
    assert other.number in html and late.number not in html
    html = client.get(url, {"run": run.pk}).content.decode()
    assert other.number in html and late.number in html
