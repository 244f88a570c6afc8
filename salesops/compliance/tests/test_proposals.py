"""Reward and penalty proposals (D3) and compensation for a proven loss (R6): the manager proposes,
leadership decides, the ledger records; a compensation takes at most 20 % of the month's wage."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from salesops.compliance import services
from salesops.compliance.models import LedgerEntry, Proposal
from salesops.compliance.selectors import ledger_month, proposal_list
from salesops.core.errors import Forbidden, InvalidInput
from salesops.workflow.approvals import current_step
from salesops.workflow.registry import act_on

pytestmark = pytest.mark.django_db
MONTH = timezone.localdate().strftime("%Y%m")


def propose(staff, **extra):
    values = {"person_id": staff.sales_a.pk, "kind": "reward", "reason": "开拓新客户 3 家", "month": MONTH, "points": 3}
    values.update(extra)
    return services.proposal_create(actor=staff.manager1, **values)


def test_a_reward_goes_to_leadership_and_into_the_ledger(staff):
    proposal = act_on(propose(staff), "submit", actor=staff.manager1)
    assert current_step(proposal).role == "leadership"

    with pytest.raises(Forbidden):
        act_on(proposal, "approve", actor=staff.manager1)
    act_on(proposal, "approve", actor=staff.boss)

    entry = LedgerEntry.objects.get()
    assert (entry.person, entry.kind, entry.points) == (staff.sales_a, "reward", 3)
    [line] = ledger_month(user=staff.boss, month=MONTH)
    assert (line.reward_points, line.points) == (3, 0)


def test_a_rejected_proposal_leaves_the_ledger_alone(staff):
    proposal = act_on(propose(staff, kind="penalty", points=0, amount=Decimal("50")), "submit", actor=staff.manager1)
    act_on(proposal, "reject", actor=staff.boss, comment="证据不足")
    assert not LedgerEntry.objects.exists()


def test_only_a_manager_proposes_and_only_for_their_people(staff):
    with pytest.raises(Forbidden):
        services.proposal_create(
            actor=staff.sales_b, person_id=staff.sales_a.pk, kind="reward", reason="x", month=MONTH, points=1
        )
    with pytest.raises(InvalidInput) as refused:
        propose(staff, person_id=staff.sales_c.pk)  # manager2's
    assert "person_id" in refused.value.extra["fields"]
    assert not Proposal.objects.exists()


def test_a_compensation_needs_the_loss_its_evidence_and_the_wage(staff):
    loss = {"kind": "compensation", "points": 0, "amount": Decimal("600.00")}
    with pytest.raises(InvalidInput) as no_loss:
        propose(staff, **loss)
    assert {"loss_amount", "loss_document"} <= set(no_loss.value.extra["fields"])
    with pytest.raises(InvalidInput) as no_wage:
        propose(staff, **loss, loss_amount=Decimal("5000"), loss_document="TS2026120001")
    assert "month" in no_wage.value.extra["fields"]

    services.wage_enter(actor=staff.finance, person_id=staff.sales_a.pk, month=MONTH, amount=Decimal("2500.00"))
    with pytest.raises(InvalidInput) as too_much:
        propose(staff, **loss, loss_amount=Decimal("5000"), loss_document="TS2026120001")
    [reason] = too_much.value.extra["fields"]["amount"]
    assert "500" not in reason and "2500" not in reason  # the wage is HR's: no figure of it
    assert not Proposal.objects.exists()


def test_a_compensation_within_20_percent_of_the_wage_is_recorded_apart_from_penalties(staff):
    services.wage_enter(actor=staff.finance, person_id=staff.sales_a.pk, month=MONTH, amount=Decimal("2500.00"))
    proposal = propose(
        staff,
        kind="compensation",
        points=0,
        amount=Decimal("500.00"),
        loss_amount=Decimal("3000.00"),
        loss_document="TS2026120001",
        reason="未经领导指示支付特殊费用造成损失（R6）",
    )
    act_on(act_on(proposal, "submit", actor=staff.manager1), "approve", actor=staff.boss)

    [line] = ledger_month(user=staff.finance, month=MONTH)
    assert (line.compensation, line.amount) == (Decimal("500.00"), Decimal("0"))


def test_only_hr_enters_wages(staff):
    with pytest.raises(Forbidden):
        services.wage_enter(actor=staff.manager1, person_id=staff.sales_a.pk, month=MONTH, amount=Decimal("1"))


def test_proposals_are_seen_by_their_manager_and_leadership(staff):
    proposal = propose(staff)
    assert list(proposal_list(user=staff.manager1)) == [proposal]
    assert list(proposal_list(user=staff.boss)) == [proposal]
    assert list(proposal_list(user=staff.manager2)) == []
    assert list(proposal_list(user=staff.sales_a)) == []


def test_the_proposal_form_and_its_refusal_on_the_field(staff, web_client):
    client = web_client(staff.manager1)
    url = reverse("compliance:proposal-create")
    assert web_client(staff.sales_a).get(url).status_code == 403

    refused = client.post(url, {"person_id": staff.sales_a.pk, "kind": "reward", "month": "202613", "reason": "x"})
    done = client.post(
        url, {"person_id": staff.sales_a.pk, "kind": "reward", "month": MONTH, "points": 2, "reason": "好"}
    )

    assert refused.status_code == 422 and "month" in refused.context["form"].errors
    assert done.status_code == 302
    assert client.get(reverse("compliance:proposal-list")).status_code == 200


def test_the_proposal_api(staff, api_client):
    body = {"person_id": staff.sales_a.pk, "kind": "reward", "month": MONTH, "points": 1, "reason": "好"}
    assert (
        api_client(staff.sales_a).post("/api/compliance/proposals", body, content_type="application/json").status_code
        == 403
    )
    created = api_client(staff.manager1).post("/api/compliance/proposals", body, content_type="application/json")
    assert created.status_code == 201
    pk = created.json()["id"]
    submitted = api_client(staff.manager1).post(
        f"/api/compliance/proposals/{pk}/submit", content_type="application/json"
    )
    assert submitted.json()["state"] == "pending"
    assert api_client(staff.manager2).get(f"/api/compliance/proposals/{pk}").status_code == 404


def test_the_20_percent_cap_holds_for_the_months_compensation_together(staff):
    services.wage_enter(actor=staff.finance, person_id=staff.sales_a.pk, month=MONTH, amount=Decimal("2500.00"))
    loss = {"kind": "compensation", "points": 0, "loss_amount": Decimal("3000"), "loss_document": "TS2026120001"}
    first = act_on(propose(staff, **loss, amount=Decimal("300.00")), "submit", actor=staff.manager1)
    second = propose(staff, **loss, amount=Decimal("200.00"))  # 300 waiting + 200 = 500: fits
    second = act_on(second, "submit", actor=staff.manager1)
    with pytest.raises(InvalidInput):
        propose(staff, **loss, amount=Decimal("0.01"))  # past 500 with the two waiting
    act_on(first, "approve", actor=staff.boss)

    # HR corrects the wage down before leadership decides the second: it no longer fits
    services.wage_enter(actor=staff.finance, person_id=staff.sales_a.pk, month=MONTH, amount=Decimal("2000.00"))
    with pytest.raises(InvalidInput):
        act_on(second, "approve", actor=staff.boss)
    assert Proposal.objects.get(pk=second.pk).state == "pending"
    assert LedgerEntry.objects.filter(kind="compensation").count() == 1
