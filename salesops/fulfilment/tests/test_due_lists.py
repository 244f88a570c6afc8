"""The lists the delivery rules drive, as their readers use them: "Shipping due" (R7: due today
and overdue, with the delay and the provisional calendar), "Awaiting customer confirmation"
(W4.6), the sales office's My tasks item, the menu, the settings in the admin site, and every
denial; each list in a bounded number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from salesops.deals.models import Contract
from salesops.deals.tests.contract_factories import clock, local
from salesops.fulfilment.models import DelayState, FulfilmentSettings, Outbound
from salesops.fulfilment.selectors import (
    shipping_due,
    shipping_due_listing,
    shipping_due_rows,
    shipping_tasks,
    unconfirmed_outbounds,
)
from salesops.org.calendar import load
from salesops.workflow.models import DocumentEvent

from .helpers import Order
from .test_rules import delay, ship_on, signed

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 10, 8)  # the first working day after the National Day holiday


def numbers(rows) -> list[str]:
    return sorted(row.number for row in rows)


def page(client, url: str, today: D = TODAY, **params):
    with clock(local(today)):
        return client.get(url, params)


# -- Shipping due (R7) --------------------------------------------------------------------------


@pytest.fixture
def due(staff):
    """On 8 October 2026: one contract due today, one overdue, one excused to later, one shipped."""
    today = signed(staff, D(2026, 9, 30))  # ship by 8 October
    overdue = signed(staff, D(2026, 9, 28), staff.sales_b)  # ship by 29 September
    excused = signed(staff, D(2026, 9, 28))
    delay(excused, D(2026, 10, 12), accept=True)
    shipped = signed(staff, D(2026, 9, 28))
    ship_on(shipped, D(2026, 9, 29))
    branch = signed(staff, D(2026, 9, 28), staff.sales_c)  # the branch's, overdue
    return {"today": today, "overdue": overdue, "excused": excused, "shipped": shipped, "branch": branch}


def test_due_today_and_overdue_follow_the_calendar_and_accepted_delays(staff, due):
    rows = shipping_due(user=staff.back_office, today=TODAY)

    assert numbers(rows) == sorted(due[k].contract.number for k in ("today", "overdue", "branch"))
    assert {r.number: r.is_overdue for r in rows} == {
        due["today"].contract.number: False,
        due["overdue"].contract.number: True,
        due["branch"].contract.number: True,
    }
    # on a holiday nothing is due that day; what was due before stays overdue
    assert {r.number: r.is_overdue for r in shipping_due(user=staff.back_office, today=D(2026, 10, 5))} == {
        due["overdue"].contract.number: True,
        due["branch"].contract.number: True,
    }
    # the excused contract is due on its delay's date, and overdue after it
    assert due["excused"].contract.number in numbers(shipping_due(user=staff.back_office, today=D(2026, 10, 12)))
    later = {r.number: r.is_overdue for r in shipping_due(user=staff.back_office, today=D(2026, 10, 13))}
    assert later[due["excused"].contract.number] is True


def test_a_voided_contract_is_not_due(staff, due):
    Contract.objects.filter(pk=due["today"].contract.pk).update(state="voided")

    assert due["today"].contract.number not in numbers(shipping_due(user=staff.back_office, today=TODAY))


def test_a_rejected_delay_leaves_the_contract_overdue_and_shows_its_state(staff, web_client):
    order = signed(staff, D(2026, 9, 28))
    rejected = delay(order, D(2026, 10, 12), accept=False)

    response = page(web_client(staff.back_office), reverse("fulfilment:shipping-due"))
    html = response.content.decode()

    [row] = response.context["due_rows"]
    assert row.delay_state_label == str(DelayState.REJECTED.label) and row.contract.is_overdue
    assert reverse("fulfilment:delay-detail", args=[rejected.pk]) in html and row.delay_state_label in html
    assert html.count('data-when="overdue"') == 1


def test_the_filter_search_and_paging(staff, due, web_client):
    client = web_client(staff.back_office)
    url = reverse("fulfilment:shipping-due")

    overdue = page(client, url, when="1").context["due_rows"]
    due_today = page(client, url, when="0").context["due_rows"]
    searched = page(client, url, q=due["overdue"].contract.number).context["due_rows"]
    for _i in range(3):
        signed(staff, D(2026, 9, 28))
    first = page(client, url, per_page=5, sort="number")
    second = page(client, url, per_page=5, sort="number", page=2)

    assert sorted(r.contract.number for r in overdue) == sorted(due[k].contract.number for k in ("overdue", "branch"))
    assert [r.contract.number for r in due_today] == [due["today"].contract.number]
    assert [r.contract.number for r in searched] == [due["overdue"].contract.number]
    assert first.context["page_obj"].paginator.count == 6
    assert len(first.context["due_rows"]) == 5 and len(second.context["due_rows"]) == 1
    assert second.context["due_rows"][0].contract.number not in {r.contract.number for r in first.context["due_rows"]}
    assert "2 / 2" in second.content.decode() and "sort=number" in first.content.decode()


def test_the_page_shows_the_ship_by_date_and_links_to_the_contract_and_its_requisitions(staff, due, web_client):
    response = page(web_client(staff.back_office), reverse("fulfilment:shipping-due"))
    html = response.content.decode()
    contract = due["today"].contract

    [row] = [r for r in response.context["due_rows"] if r.contract.pk == contract.pk]
    assert (row.ship_by, row.due_on, row.provisional) == (TODAY, TODAY, False)
    assert contract.get_absolute_url() in html
    assert f"{reverse('fulfilment:requisition-list')}?q={contract.number}" in html
    assert html.count('data-when="today"') == 1 and html.count('data-when="overdue"') == 2


def test_a_ship_by_date_on_a_provisional_calendar_is_marked(staff, web_client):
    signed(staff, D(2027, 3, 5))  # a year without the official arrangement: ship by Monday 8 March

    with clock(local(D(2027, 3, 8))):  # signed in that day (a session does not last three months)
        response = web_client(staff.back_office).get(reverse("fulfilment:shipping-due"))

    [row] = response.context["due_rows"]
    assert (row.ship_by, row.provisional) == (D(2027, 3, 8), True)
    assert 'data-testid="provisional"' in response.content.decode()


def test_each_reader_sees_their_scope_and_the_others_are_refused(staff, due, web_client):
    url = reverse("fulfilment:shipping-due")
    seen = {
        who: sorted(r.contract.number for r in page(web_client(getattr(staff, who)), url).context["due_rows"])
        for who in ("back_office", "manager1", "manager2", "boss")
    }

    everything = sorted(due[k].contract.number for k in ("today", "overdue", "branch"))
    assert seen["back_office"] == seen["boss"] == everything
    assert seen["manager1"] == sorted(due[k].contract.number for k in ("today", "overdue"))
    assert seen["manager2"] == [due["branch"].contract.number]
    for who in ("sales_a", "warehouse", "finance"):
        assert page(web_client(getattr(staff, who)), url).status_code == 403, who


def test_the_list_runs_a_fixed_number_of_queries(staff, web_client):
    client = web_client(staff.back_office)
    url = reverse("fulfilment:shipping-due")
    signed(staff, D(2026, 9, 28))
    with CaptureQueriesContext(connection) as few:
        assert page(client, url).status_code == 200
    for _i in range(4):
        order = signed(staff, D(2026, 9, 28))
        delay(order, D(2026, 10, 1), accept=False)
    with CaptureQueriesContext(connection) as many:
        response = page(client, url)

    assert len(response.context["due_rows"]) == 5
    assert len(many) == len(few) <= 25


# -- the office's My tasks and the menu ----------------------------------------------------------


def test_the_office_has_one_task_naming_what_is_due_today_and_overdue(staff, due, web_client):
    with clock(local(TODAY)):
        [task] = shipping_tasks(staff.back_office)
        html = web_client(staff.back_office).get(reverse("workflow:my-tasks")).content.decode()

    assert task.url == reverse("fulfilment:shipping-due")
    assert task.title == gettext("%(today)s contracts to ship today, %(overdue)s overdue (R7)") % {
        "today": 1,
        "overdue": 2,
    }
    assert task.title in html
    assert shipping_tasks(staff.sales_a) == [] and shipping_tasks(staff.manager1) == []


def test_the_menu_shows_the_lists_to_their_readers_only(staff, web_client):
    due_url, unconfirmed_url = reverse("fulfilment:shipping-due"), reverse("fulfilment:unconfirmed")

    office = web_client(staff.back_office).get(reverse("workflow:my-tasks")).content.decode()
    salesperson = web_client(staff.sales_a).get(reverse("workflow:my-tasks")).content.decode()
    warehouse = web_client(staff.warehouse).get(reverse("workflow:my-tasks")).content.decode()

    assert f'href="{due_url}"' in office and f'href="{unconfirmed_url}"' in office
    assert f'href="{due_url}"' not in salesperson and f'href="{unconfirmed_url}"' in salesperson
    assert f'href="{due_url}"' not in warehouse and f'href="{unconfirmed_url}"' not in warehouse


# -- Awaiting customer confirmation (W4.6) -------------------------------------------------------


def shipped(staff, owner, day: D) -> Outbound:
    order = Order(staff, owner)
    return ship_on(order, day)


def test_a_delivery_is_listed_once_the_working_days_have_passed(staff):
    outbound = shipped(staff, staff.sales_a, D(2026, 9, 29))  # 5 working days: due Monday 12 October

    assert numbers(unconfirmed_outbounds(user=staff.back_office, today=D(2026, 10, 12))) == []
    assert numbers(unconfirmed_outbounds(user=staff.back_office, today=D(2026, 10, 13))) == [outbound.number]
    FulfilmentSettings.objects.update(confirmation_working_days=1)  # due 30 September
    assert numbers(unconfirmed_outbounds(user=staff.back_office, today=D(2026, 10, 1))) == [outbound.number]


def test_a_confirmed_delivery_is_not_listed(staff):
    order = Order(staff)
    outbound = ship_on(order, D(2026, 9, 1))
    order.confirmation(outbound)

    assert numbers(unconfirmed_outbounds(user=staff.back_office, today=D(2026, 10, 13))) == []


def test_the_unconfirmed_page_by_scope_with_the_working_days_waited(staff, web_client):
    own = shipped(staff, staff.sales_a, D(2026, 9, 29))
    branch = shipped(staff, staff.sales_c, D(2026, 9, 29))
    url = reverse("fulfilment:unconfirmed")

    def seen(who):
        response = page(web_client(getattr(staff, who)), url, today=D(2026, 10, 13))
        assert response.status_code == 200, who
        return sorted(o.number for o, _waited in response.context["waited_rows"])

    assert seen("back_office") == seen("boss") == sorted([own.number, branch.number])
    assert seen("sales_a") == seen("manager1") == [own.number]
    assert seen("sales_b") == []
    assert seen("manager2") == [branch.number]
    response = page(web_client(staff.back_office), url, today=D(2026, 10, 13), q=own.number)
    assert [(o.number, waited) for o, waited in response.context["waited_rows"]] == [(own.number, 6)]
    for who in ("warehouse", "finance", "technical"):
        assert page(web_client(getattr(staff, who)), url).status_code == 403, who


def test_the_unconfirmed_list_runs_a_fixed_number_of_queries(staff, web_client):
    client = web_client(staff.back_office)
    url = reverse("fulfilment:unconfirmed")
    shipped(staff, staff.sales_a, D(2026, 9, 1))
    with CaptureQueriesContext(connection) as few:
        page(client, url)
    for _i in range(3):
        shipped(staff, staff.sales_b, D(2026, 9, 1))
    with CaptureQueriesContext(connection) as many:
        response = page(client, url)

    assert len(response.context["waited_rows"]) == 4
    assert len(many) == len(few) <= 20


# -- the settings in the admin site ----------------------------------------------------------------


def test_the_admin_edits_the_delivery_settings_and_the_edit_is_audited(staff, web_client):
    settings = FulfilmentSettings.current()
    url = reverse("admin:fulfilment_fulfilmentsettings_change", args=[settings.pk])
    client = web_client(staff.admin)

    refused = client.post(url, {"archive_working_days": "61", "confirmation_working_days": "5"})
    done = client.post(url, {"archive_working_days": "2", "confirmation_working_days": "7"})

    assert refused.status_code == 200 and "archive_working_days" in refused.context["adminform"].form.errors
    assert done.status_code == 302
    settings.refresh_from_db()
    assert (settings.archive_working_days, settings.confirmation_working_days) == (2, 7)
    event = DocumentEvent.objects.filter(action="edit", object_id=settings.pk).order_by("pk").last()
    assert event is not None and event.actor == staff.admin and event.changes["archive_working_days"] == [1, 2]
    assert client.get(reverse("admin:fulfilment_fulfilmentsettings_add")).status_code == 403
    for who in ("back_office", "manager1"):
        response = web_client(getattr(staff, who)).get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], who


def test_only_the_admin_changes_the_settings_through_the_service(staff):
    from salesops.core.errors import Forbidden, InvalidInput
    from salesops.fulfilment.services.settings import settings_update

    with pytest.raises(Forbidden):
        settings_update(actor=staff.back_office, archive_working_days=3)
    with pytest.raises(InvalidInput) as refused:
        settings_update(actor=staff.admin, archive_working_days=-1, colour="red")
    assert set(refused.value.extra["fields"]) == {"archive_working_days", "colour"}
    assert FulfilmentSettings.current().archive_working_days == 1


def test_the_due_rows_need_no_query(staff, due):
    data = load()
    rows = list(shipping_due_listing().apply(shipping_due(user=staff.back_office, today=TODAY), {})["rows"])

    with CaptureQueriesContext(connection) as queries:
        found = shipping_due_rows(rows, data=data)

    assert len(found) == 3 and len(queries) == 0


# -- in the browser --------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_office_goes_from_my_tasks_to_the_overdue_contract_and_filters_the_list(staff, live_server, chromium):
    from playwright.sync_api import expect

    from conftest import log_in
    from salesops.org.calendar import add_working_days

    today = timezone.localdate()
    late = signed(staff, today - datetime.timedelta(days=20))  # long past its ship-by date, whatever today is
    due_on = add_working_days(late.contract.signed_on, 1)

    office = log_in(chromium, live_server.url, "office")
    office.locator(f'a[href="{reverse("fulfilment:shipping-due")}"]', has_text="R7").first.click()

    row = office.locator(f'[data-testid=due-row][data-number="{late.contract.number}"]')
    expect(row).to_have_count(1)
    expect(row.locator("[data-testid=ship-by]")).to_contain_text(due_on.isoformat())
    expect(row.locator("[data-when=overdue]")).to_have_count(1)
    office.select_option("#flt-when", "0")  # due today: the overdue contract leaves the list
    expect(row).to_have_count(0)
    office.select_option("#flt-when", "1")
    expect(row).to_have_count(1)
    row.locator(f'a[href="{late.contract.get_absolute_url()}"]').click()
    expect(office.locator("h1")).to_contain_text(late.contract.number)
