"""The audit trail is append-only: no path in the application edits or deletes an event,
and the database itself refuses UPDATE and DELETE on the table (trigger)."""

import pytest
from django.db import DatabaseError, connection, transaction

from salesops.workflow.models import DocumentEvent

from .factories import expense

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(staff):
    doc = expense(staff.sales_a)
    return DocumentEvent.objects.get(number=doc.number, action="create")


def test_model_refuses_to_save_an_existing_event(event):
    event.comment = "rewritten"
    with pytest.raises(TypeError):
        event.save()
    assert DocumentEvent.objects.get(pk=event.pk).comment == ""


def test_model_and_queryset_refuse_delete_and_update(event):
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        DocumentEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(TypeError):
        DocumentEvent.objects.filter(pk=event.pk).update(comment="x")
    assert DocumentEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE workflow_documentevent SET comment = 'forged' WHERE id = %s",
        "UPDATE workflow_documentevent SET actor_id = NULL WHERE id = %s",
        "DELETE FROM workflow_documentevent WHERE id = %s",
    ],
)
def test_database_refuses_raw_update_and_delete(event, statement):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, [event.pk])
    event_after = DocumentEvent.objects.get(pk=event.pk)
    assert (event_after.comment, event_after.actor_id) == (event.comment, event.actor_id)


def test_events_carry_who_when_and_the_request_id(staff, web_client):
    from salesops.expenses.models import ExpenseRequest

    doc = expense(staff.sales_a)
    response = web_client(staff.sales_a).post(f"/doc/expenses.expenserequest/{doc.pk}/comment/", {"text": "补充说明"})
    assert response.status_code == 302
    event = DocumentEvent.objects.get(number=doc.number, action="comment")
    assert event.actor == staff.sales_a
    assert event.at is not None and event.at.tzinfo is not None
    assert event.request_id == response["X-Request-ID"]
    assert ExpenseRequest.objects.get(pk=doc.pk).state == "draft"


@pytest.mark.postgres
def test_postgres_refuses_truncate_and_has_no_switch_left(event):
    # given: the test suite's own connection (a superuser, but not in replica mode)
    # when: it truncates the audit table, or looks for the guard row that used to switch the trigger off
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the event's deferred FK checks, else TRUNCATE waits on them
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE workflow_documentevent")
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('salesops_audit_guard')")
        guard = cursor.fetchone()[0]
    # then: the event is still there and the switch is gone
    assert DocumentEvent.objects.filter(pk=event.pk).exists()
    assert guard is None


def test_check_audit_finds_the_triggers_on_sqlite_and_postgres(event):
    from django.core.management import call_command

    from salesops.workflow.auditdb import audit_risks

    risks = audit_risks(connection)
    if connection.vendor == "postgresql":
        # the suite connects as a superuser that owns the tables: exactly what production must not do
        assert any("superuser" in risk for risk in risks)
    else:
        assert risks == []
        call_command("check_audit")
