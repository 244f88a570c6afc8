"""Rows without a number ride the document kernel's flow machinery (issue 6): a support request
(W2.3-4) and the monthly contract register (R15) change state only through ``transition``, which
saves the state with the fields that go with it and writes one audit event on the row itself; a
refusal (wrong role, wrong state) changes nothing and writes no event."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from salesops.core.errors import Forbidden, NotFound, TransitionNotAllowed
from salesops.deals.choices import RegisterState, SupportState
from salesops.deals.models import ContractRegister, SupportRequest
from salesops.deals.services import contracts as contract_services
from salesops.deals.services import inquiries
from salesops.deals.services import register as register_services
from salesops.deals.tests.contract_factories import Deal, clock, local
from salesops.deals.tests.factories import deal, in_days
from salesops.deals.workflows import REGISTER_FLOW, SUPPORT_FLOW
from salesops.org.roles import Role
from salesops.workflow.flows import Flow, T
from salesops.workflow.models import DocumentEvent, Notification
from salesops.workflow.services import transition

pytestmark = pytest.mark.django_db


def _events(row) -> list[DocumentEvent]:
    return list(
        DocumentEvent.objects.filter(content_type=ContentType.objects.get_for_model(row), object_id=row.pk).order_by(
            "pk"
        )
    )


def _row(row) -> tuple:
    """What a refusal must leave unchanged: the row's stored fields and its audit events."""
    fresh = type(row).objects.get(pk=row.pk)
    fields = tuple(getattr(fresh, f.attname) for f in fresh._meta.concrete_fields)
    return fields, [e.pk for e in _events(fresh)]


# Support requests


def _ask(staff, kind: str = "technical") -> SupportRequest:
    return inquiries.support_request_create(
        actor=staff.sales_a, inquiry=deal(staff).inquiry, kind=kind, question="排种器适配大豆吗？", due_on=in_days(2)
    )


def test_an_answer_moves_the_request_through_its_flow_with_one_event_naming_the_changes(staff):
    # given an open technical request
    request = _ask(staff)
    assert (request.state, request.version, _events(request)) == (SupportState.OPEN, 1, [])
    # when technical answers it
    answered = inquiries.support_request_answer(actor=staff.technical, support_request=request, answer="需换 8 孔盘")
    # then the state, the answer and the version are stored together
    stored = SupportRequest.objects.get(pk=request.pk)
    assert (stored.state, stored.answer, stored.answered_by, stored.version) == (
        SupportState.ANSWERED,
        "需换 8 孔盘",
        staff.technical,
        2,
    )
    assert stored.answered_at is not None and stored.updated_at >= stored.created_at
    # and the request's own audit trail has one event with what changed
    [event] = _events(stored)
    assert (event.action, event.from_state, event.to_state, event.actor) == (
        "answer",
        SupportState.OPEN,
        SupportState.ANSWERED,
        staff.technical,
    )
    assert event.number == f"{stored.inquiry.number}/{stored.pk}"
    assert event.changes["answer"] == ["", "需换 8 孔盘"]
    assert event.changes["answered_by"] == [None, staff.technical.pk]
    assert set(event.changes) == {"answer", "answered_by", "answered_at"}
    assert answered.state == SupportState.ANSWERED


def test_a_waiver_moves_the_request_through_its_flow_with_the_reason_in_its_event(staff):
    request = _ask(staff, "purchasing")
    inquiries.support_request_waive(actor=staff.manager1, support_request=request, reason="用标准参数")
    stored = SupportRequest.objects.get(pk=request.pk)
    assert (stored.state, stored.waive_reason, stored.version) == (SupportState.WAIVED, "用标准参数", 2)
    [event] = _events(stored)
    assert (event.action, event.from_state, event.to_state, event.actor, event.comment) == (
        "waive",
        SupportState.OPEN,
        SupportState.WAIVED,
        staff.manager1,
        "用标准参数",
    )
    assert event.changes == {"waive_reason": ["", "用标准参数"]}


@pytest.mark.parametrize(
    ("actor_name", "error"),
    [
        ("sales_a", Forbidden),  # the salesperson does not answer his own question
        ("manager1", Forbidden),
        ("purchasing", NotFound),  # another department cannot even see it
        ("boss", Forbidden),  # leadership sees it but is not the addressed department
    ],
)
def test_a_wrong_role_cannot_answer_and_nothing_is_written(staff, actor_name, error):
    request = _ask(staff)
    before = _row(request)
    with pytest.raises(error):
        inquiries.support_request_answer(actor=getattr(staff, actor_name), support_request=request, answer="答复")
    assert _row(request) == before and _events(request) == []


def test_the_flow_itself_refuses_an_answer_from_the_wrong_department(staff):
    # given a technical request, and leadership who sees every request
    request = _ask(staff)
    before = _row(request)
    # when the bare transition is asked by someone outside the addressed department
    with pytest.raises(Forbidden):
        transition(SUPPORT_FLOW, request, "answer", actor=staff.boss, values={"answer": "x"})
    # then nothing changed
    assert _row(request) == before


@pytest.mark.parametrize("actor_name", ["sales_a", "manager2", "technical"])
def test_a_wrong_role_or_scope_cannot_waive_and_nothing_is_written(staff, actor_name):
    request = _ask(staff)
    before = _row(request)
    with pytest.raises((Forbidden, NotFound)):
        inquiries.support_request_waive(actor=getattr(staff, actor_name), support_request=request, reason="不需要")
    assert _row(request) == before and _events(request) == []


@pytest.mark.parametrize("settle", ["answer", "waive"])
def test_a_settled_request_is_not_settled_again_and_nothing_is_written(staff, settle):
    # given an answered request
    request = _ask(staff)
    request = inquiries.support_request_answer(actor=staff.technical, support_request=request, answer="可以")
    before = _row(request)
    notes = Notification.objects.count()
    # when it is answered or waived again
    with pytest.raises(TransitionNotAllowed):
        if settle == "answer":
            inquiries.support_request_answer(actor=staff.technical, support_request=request, answer="再答")
        else:
            inquiries.support_request_waive(actor=staff.manager1, support_request=request, reason="不需要")
    # then nothing changed: still one event, the first answer, nobody told
    assert _row(request) == before and len(_events(request)) == 1
    assert SupportRequest.objects.get(pk=request.pk).answer == "可以"
    assert Notification.objects.count() == notes


# The kernel with rows that are not documents


def test_a_row_without_a_number_cannot_take_an_approval_chain_action(staff):
    request = _ask(staff)
    before = _row(request)
    flow = Flow(
        "deals.SupportRequest",
        initial=SupportState.OPEN,
        transitions={"approve": T(SupportState.OPEN, SupportState.ANSWERED, approval="start")},
    )
    with pytest.raises(TypeError, match="not a workflow.Document"):
        transition(flow, request, "approve", actor=staff.technical)
    assert _row(request) == before


def test_a_voiding_action_on_a_row_without_a_number_saves_its_state_without_a_void_reason(staff):
    request = _ask(staff)
    flow = Flow(
        "deals.SupportRequest",
        initial=SupportState.OPEN,
        transitions={
            "drop": T(SupportState.OPEN, SupportState.WAIVED, by=(Role.SALES_MANAGER,), needs_comment=True, voids=True)
        },
    )
    transition(flow, request, "drop", actor=staff.manager1, comment="客户撤回")
    stored = SupportRequest.objects.get(pk=request.pk)
    assert (stored.state, stored.version) == (SupportState.WAIVED, 2)
    assert [(e.action, e.comment) for e in _events(stored)] == [("drop", "客户撤回")]


# The contract register


def _last_month_day() -> datetime.date:
    return (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=15)


def _last_month() -> str:
    return _last_month_day().strftime("%Y%m")


def _contract_last_month(staff):
    with clock(local(_last_month_day())):
        return Deal(staff).draft()


def test_compiling_and_submitting_move_the_register_through_its_flow_with_one_event_each(staff):
    # given last month's contracts, one voided
    _contract_last_month(staff)
    contract_services.contract_void(actor=staff.admin, contract=_contract_last_month(staff), reason="重复录入")
    # when the sales office compiles
    register = register_services.register_compile(actor=staff.back_office, period=_last_month())
    # then
    stored = ContractRegister.objects.get(period=_last_month())
    assert (stored.state, stored.version, stored.contract_count, stored.voided_count) == (
        RegisterState.COMPILED,
        2,
        2,
        1,
    )
    [compiled] = _events(stored)
    assert (compiled.action, compiled.from_state, compiled.to_state, compiled.number) == (
        "compile",
        RegisterState.DRAFT,
        RegisterState.COMPILED,
        f"R15-{_last_month()}",
    )
    assert compiled.changes["contract_count"] == [0, 2] and compiled.changes["voided_count"] == [0, 1]
    # when it submits
    register = register_services.register_submit(actor=staff.back_office, period=_last_month())
    # then
    stored = ContractRegister.objects.get(period=_last_month())
    assert (stored.state, stored.version, stored.submitted_by) == (RegisterState.SUBMITTED, 3, staff.back_office)
    submitted = _events(stored)[-1]
    assert (submitted.action, submitted.from_state, submitted.to_state, submitted.actor) == (
        "submit",
        RegisterState.COMPILED,
        RegisterState.SUBMITTED,
        staff.back_office,
    )
    assert submitted.changes["submitted_by"] == [None, staff.back_office.pk]
    assert "submitted_at" in submitted.changes
    assert register.state == RegisterState.SUBMITTED


@pytest.mark.parametrize("actor_name", ["boss", "admin", "sales_a", "finance"])
def test_a_wrong_role_cannot_compile_a_compiled_register_and_nothing_is_written(staff, actor_name):
    _contract_last_month(staff)
    register = register_services.register_compile(actor=staff.back_office, period=_last_month())
    before = _row(register)
    for service in (register_services.register_compile, register_services.register_submit):
        with pytest.raises(Forbidden):
            service(actor=getattr(staff, actor_name), period=_last_month())
    assert _row(register) == before


def test_the_flow_itself_refuses_leadership_who_reads_the_register(staff):
    # leadership sees the register but does not keep it (R15): the flow's actor check refuses
    _contract_last_month(staff)
    register = register_services.register_compile(actor=staff.back_office, period=_last_month())
    before = _row(register)
    with pytest.raises(Forbidden):
        transition(REGISTER_FLOW, register, "submit", actor=staff.boss)
    assert _row(register) == before


def test_a_submitted_register_is_final_and_a_second_try_writes_nothing(staff):
    _contract_last_month(staff)
    register = register_services.register_submit(actor=staff.back_office, period=_last_month())
    before = _row(register)
    for service in (register_services.register_compile, register_services.register_submit):
        with pytest.raises(TransitionNotAllowed):
            service(actor=staff.back_office, period=_last_month())
    assert _row(register) == before
    assert ContractRegister.objects.get(pk=register.pk).state == RegisterState.SUBMITTED


def test_registers_from_before_the_flow_get_the_state_they_are_in():
    # given registers stored before the register had a state (the migration adds it as "draft")
    now = timezone.now()
    submitted = ContractRegister.objects.create(period="202609", compiled_at=now, submitted_at=now)
    compiled = ContractRegister.objects.create(period="202610", compiled_at=now)
    # when the migration's back-fill runs
    migration = importlib.import_module("salesops.deals.migrations.0004_flow_records")
    migration.register_states(apps, None)
    # then
    assert ContractRegister.objects.get(pk=submitted.pk).state == RegisterState.SUBMITTED
    assert ContractRegister.objects.get(pk=compiled.pk).state == RegisterState.COMPILED
