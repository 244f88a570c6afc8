"""My tasks: what waits for a user, in a bounded number of queries whatever the number of tasks."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from salesops.expenses.services import special_fee_create, special_fee_transition
from salesops.workflow.inbox import my_tasks

from .factories import submitted_expense

pytestmark = pytest.mark.django_db


def test_manager_sees_exactly_the_approvals_waiting_for_him(staff):
    mine = [submitted_expense(staff.sales_a) for _ in range(2)]
    submitted_expense(staff.sales_c)  # waits for manager2
    tasks = my_tasks(staff.manager1)
    assert sorted(t.number for t in tasks) == sorted(d.number for d in mine)
    assert {t.kind for t in tasks} == {"approval"}
    assert my_tasks(staff.sales_a) == []


def test_decided_step_leaves_the_inbox_and_the_next_approver_gets_it(staff):
    from salesops.customers.models import Customer

    customer = Customer.objects.create(
        code="C1",
        name="济南农机合作社",
        kind="end_user",
        region=staff.region,
        owner=staff.sales_a,
        branch=staff.head_office,
        department=staff.hq_sales,
    )
    fee = special_fee_create(
        actor=staff.sales_a, customer_id=customer.pk, kind="marketing", amount=Decimal("1000.00"), reason="促销"
    )
    fee = special_fee_transition(fee=fee, action="submit", actor=staff.sales_a)
    assert [t.number for t in my_tasks(staff.manager1)] == [fee.number]
    special_fee_transition(fee=fee, action="approve", actor=staff.manager1)
    assert my_tasks(staff.manager1) == []
    assert [t.number for t in my_tasks(staff.boss)] == [fee.number]
    special_fee_transition(fee=fee, action="approve", actor=staff.boss)
    # then finance is asked to pay it (R6: only after leadership's instruction)
    assert [(t.kind, t.number) for t in my_tasks(staff.finance)] == [("payment", fee.number)]


def _count_queries(user) -> int:
    with CaptureQueriesContext(connection) as captured:
        my_tasks(user)
    return len(captured)


def test_inbox_query_count_does_not_grow_with_the_number_of_tasks(staff):
    for _ in range(3):
        submitted_expense(staff.sales_a)
    my_tasks(staff.manager1)  # the user's roles are read once and kept on the user
    few = _count_queries(staff.manager1)
    for _ in range(30):
        submitted_expense(staff.sales_b)
    assert len(my_tasks(staff.manager1)) == 33
    assert _count_queries(staff.manager1) == few


def test_my_tasks_page_approves_in_place(staff, web_client):
    doc = submitted_expense(staff.sales_a)
    client = web_client(staff.manager1)
    page = client.get("/tasks/")
    assert doc.number in page.content.decode()
    (step_id,) = [t.step_id for t in my_tasks(staff.manager1)]
    response = client.post(f"/tasks/step/{step_id}/decide/", {"decision": "approve"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'data-testid="task-outcome"' in response.content.decode()
    doc.refresh_from_db()
    assert doc.state == "approved"
    # a second click on the stale row changes nothing and says so
    again = client.post(f"/tasks/step/{step_id}/decide/", {"decision": "approve"}, HTTP_HX_REQUEST="true")
    assert "list-group-item-danger" in again.content.decode()


def test_my_tasks_reads_a_fixed_number_of_queries_however_many_open_steps_wait(staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from salesops.expenses import services as expense_services
    from salesops.expenses.tests import factories as ef
    from salesops.workflow.inbox import my_tasks

    def leadership_steps(count: int) -> None:
        # Each special fee waits for leadership's instruction (R6), a step open to every leader.
        for _ in range(count):
            fee = ef.submitted_special_fee(staff.sales_a, ef.customer(staff, staff.sales_a))
            expense_services.special_fee_transition(fee=fee, action="approve", actor=staff.manager1)

    def queries() -> tuple[int, int]:
        boss = type(staff.boss).objects.get(pk=staff.boss.pk)
        with CaptureQueriesContext(connection) as captured:
            tasks = my_tasks(boss)
        return len(captured), len(tasks)

    leadership_steps(2)
    few, shown = queries()
    leadership_steps(5)
    many, shown_after = queries()
    assert (shown, shown_after) == (2, 7)
    assert many == few


def _page(response) -> str:
    """The answer without its CSRF tokens (masked afresh on every page)."""
    import re

    return re.sub(r'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+', r"\1", response.content.decode())


def test_deciding_a_step_on_a_document_out_of_sight_answers_as_a_step_that_does_not_exist(staff, web_client):
    # given a pending step of sales_a's expense (manager1's), and a manager of another department
    doc = submitted_expense(staff.sales_a)
    (step_id,) = [t.step_id for t in my_tasks(staff.manager1)]
    client = web_client(staff.manager2)
    missing = step_id + 1000
    for headers in ({"HTTP_HX_REQUEST": "true"}, {}):
        # when manager2 decides it, and a step id that does not exist
        hidden = client.post(f"/tasks/step/{step_id}/decide/", {"decision": "approve"}, follow=True, **headers)
        absent = client.post(f"/tasks/step/{missing}/decide/", {"decision": "approve"}, follow=True, **headers)
        # then both answers are the same, and the document did not move
        assert hidden.status_code == absent.status_code
        assert _page(hidden) == _page(absent)
    doc.refresh_from_db()
    assert doc.state == "pending"


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/tasks/", "/\\evil.example/", "http://testserver/tasks/", "javascript:x"],
)
def test_the_decide_form_redirects_to_same_site_paths_only(staff, web_client, target):
    # given a decide form whose next names another host (or a full URL)
    submitted_expense(staff.sales_a)
    (step_id,) = [t.step_id for t in my_tasks(staff.manager1)]
    # when posted
    form = {"decision": "approve", "next": target}
    response = web_client(staff.manager1).post(f"/tasks/step/{step_id}/decide/", form)
    # then the redirect stays on My tasks
    assert response.status_code == 302 and response["Location"] == "/tasks/"


def test_the_decide_form_follows_a_same_site_next(staff, web_client):
    submitted_expense(staff.sales_a)
    (step_id,) = [t.step_id for t in my_tasks(staff.manager1)]
    response = web_client(staff.manager1).post(
        f"/tasks/step/{step_id}/decide/", {"decision": "approve", "next": "/expenses/"}
    )
    assert response["Location"] == "/expenses/"
