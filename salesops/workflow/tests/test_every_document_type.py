"""Generated for every registered document type (the kernel's registry): each one's approvals are
decided from My tasks, every chain reaches a person who can see the document and decide it (also
when the owner is a manager), and an action the flow does not allow now is refused with nothing
changed. A type without a sample in its app's ``tests/samples.py`` fails here."""

import pytest
from django.urls import reverse

from salesops.workflow.registry import all_document_types, document_type
from salesops.workflow.tests.kit import (
    assert_refused_unchanged,
    deciders,
    fresh,
    pending_step,
    sample_builders,
    snapshot,
)

pytestmark = pytest.mark.django_db

ALL_TYPES = sorted(t.label for t in all_document_types())
WITH_APPROVALS = sorted(
    t.label for t in all_document_types() if any(x.approval == "start" for x in t.flow.transitions.values())
)
# Owners whose own documents must still reach a decider: a salesperson at head office and at a
# branch, a sales manager at each, and the branch manager (whose line has nobody above).
OWNERS = ["sales_a", "sales_c", "manager1", "manager2", "branch_mgr"]


def _started(staff, label: str, owner_name: str):
    sample = sample_builders()[label](staff, getattr(staff, owner_name))
    entry = document_type(label)
    doc = entry.act(sample.doc, sample.start, actor=sample.starter, comment=sample.comment)
    assert pending_step(doc) is not None, f"{label}: the sample's chain is empty"
    return entry, doc


def test_every_document_type_has_a_sample():
    assert set(ALL_TYPES) <= set(sample_builders()), "add the missing types to their app's tests/samples.py"


@pytest.mark.parametrize("label", WITH_APPROVALS)
@pytest.mark.parametrize("owner_name", OWNERS)
def test_every_step_reaches_someone_who_sees_the_document_and_decides(staff, label, owner_name):
    # given a document of this owner's, submitted
    entry, doc = _started(staff, label, owner_name)
    approve = entry.flow.decision_action("approve", doc.state)
    decided = 0
    # when each pending step is approved by someone who may decide it
    while (step := pending_step(doc)) is not None:
        people = deciders(doc, step)
        # then there is always such a person, never the owner
        assert people, f"{label} of {owner_name}: step {step.role} waits for nobody"
        assert doc.owner not in people
        doc = entry.act(fresh(doc), approve, actor=people[0], comment="ok")
        decided += 1
        assert decided < 10
    # and the chain ends where the flow's approval leads
    assert fresh(doc).state == entry.flow.transitions[approve].target


def _decide_from_my_tasks(client, step, decision: str, comment: str = "") -> str:
    response = client.post(
        reverse("workflow:step-decide", args=[step.pk]),
        {"decision": decision, "comment": comment},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("label", WITH_APPROVALS)
def test_my_tasks_approves_every_document_type_in_place(staff, web_client, label):
    # given a submitted document waiting for its first approver
    entry, doc = _started(staff, label, "sales_a")
    step = pending_step(doc)
    approver = deciders(doc, step)[0]
    # the task is in the approver's My tasks
    page = web_client(approver).get(reverse("workflow:my-tasks")).content.decode()
    assert doc.number in page
    # when the approver approves it there
    html = _decide_from_my_tasks(web_client(approver), step, "approve")
    # then the step is approved (not "unknown action") and the outcome shown
    assert 'data-testid="task-outcome"' in html and "list-group-item-success" in html, html
    assert type(step).objects.get(pk=step.pk).status == "approved"
    assert 'id="task-count"' in html


@pytest.mark.parametrize("label", WITH_APPROVALS)
def test_my_tasks_rejects_every_document_type_in_place(staff, web_client, label):
    entry, doc = _started(staff, label, "sales_a")
    step = pending_step(doc)
    approver = deciders(doc, step)[0]
    reject = entry.flow.transitions[entry.flow.decision_action("reject", doc.state)]
    html = _decide_from_my_tasks(web_client(approver), step, "reject", "价格需重新核定")
    assert "list-group-item-success" in html, html
    assert fresh(doc).state == reject.target
    # a document sent back to fix becomes a task for its owner
    if entry.flow.returned_state == reject.target:
        page = web_client(doc.owner).get(reverse("workflow:my-tasks")).content.decode()
        assert doc.number in page


@pytest.mark.parametrize("label", ALL_TYPES)
def test_actions_not_allowed_now_are_refused_and_change_nothing(staff, label):
    # given a fresh document, before its chain starts
    sample = sample_builders()[label](staff, staff.sales_a)
    entry = document_type(label)
    doc = sample.doc
    for action, t in entry.flow.transitions.items():
        if doc.state in t.sources and not t.via_form:
            continue
        for actor in (staff.sales_a, staff.manager1, staff.boss):
            # when anyone takes an action the flow does not allow in this state, it is refused
            # and nothing changes
            assert_refused_unchanged(
                doc, lambda a=action, who=actor: entry.act(fresh(doc), a, actor=who, comment="试一下")
            )


def test_a_decision_for_a_step_on_a_document_out_of_sight_is_refused(staff, web_client):
    entry, doc = _started(staff, "expenses.expenserequest", "sales_a")
    step = pending_step(doc)
    before = snapshot(doc)
    html = _decide_from_my_tasks(web_client(staff.manager2), step, "approve")
    assert "list-group-item-danger" in html
    assert snapshot(doc) == before
