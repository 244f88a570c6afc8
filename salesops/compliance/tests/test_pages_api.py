"""The compliance pages and API as people use them, and every denial."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from salesops.compliance import services
from salesops.compliance.models import Acknowledgement, Violation, ViolationState
from salesops.org.models import CalendarYear

from .helpers import acknowledge_everyone
from .test_review import found_r3

pytestmark = pytest.mark.django_db


@pytest.fixture
def violation(staff):
    acknowledge_everyone()
    return found_r3(staff)


def test_the_salesperson_sees_their_violation_with_the_rules_text(staff, web_client, violation):
    client = web_client(staff.sales_a)

    listed = client.get(reverse("compliance:violation-list"))
    page = client.get(violation.get_absolute_url())

    assert listed.status_code == 200 and violation.number in listed.content.decode()
    assert page.status_code == 200
    assert "销售人员在工作推广过程中发生的销售费用应事先与销售经理核对" in page.content.decode()
    assert web_client(staff.sales_b).get(violation.get_absolute_url()).status_code == 404


def test_the_manager_reduces_on_the_form_and_a_bad_amount_lands_on_its_field(staff, web_client, violation):
    client = web_client(staff.manager1)
    url = reverse("compliance:violation-reduce", args=[violation.pk])

    refused = client.post(url, {"points": 5, "amount": "50", "reason": "x"})
    done = client.post(url, {"points": 0, "amount": "5.00", "reason": "初犯"})

    assert refused.status_code == 422 and "amount" in refused.context["form"].errors
    assert done.status_code == 302
    assert Violation.objects.get(pk=violation.pk).state == ViolationState.CONFIRMED


def test_rules_page_acknowledges_the_current_version(staff, web_client):
    client = web_client(staff.sales_a)
    assert "acknowledge" in client.get(reverse("compliance:rules")).content.decode()

    client.post(reverse("compliance:acknowledge"))

    assert Acknowledgement.objects.filter(user=staff.sales_a, rule_set=services.current_rule_set()).exists()
    assert 'data-testid="acknowledged"' in client.get(reverse("compliance:rules")).content.decode()


def test_only_the_admin_changes_a_rule_and_a_change_is_a_new_version(staff, web_client):
    url = reverse("compliance:rule-change", args=["R3"])
    assert web_client(staff.manager1).get(url).status_code == 403

    response = web_client(staff.admin).post(
        url, {"severity": "serious", "penalty_min": "10", "penalty_max": "100", "is_active": "on", "note": "加重"}
    )

    assert response.status_code == 302
    assert services.current_rule_set().version == 2
    assert services.current_rule_set().rules.get(code="R3").severity == "serious"


def test_at_risk_page_for_managers_only(staff, web_client, violation):
    assert web_client(staff.sales_a).get(reverse("compliance:at-risk")).status_code == 403
    page = web_client(staff.manager1).get(reverse("compliance:at-risk"))
    assert page.status_code == 200
    assert violation.number in page.content.decode()  # found today
    assert 'data-testid="chart-by-rule"' in page.content.decode()


def test_ledger_export_for_hr_as_excel_and_pdf(staff, web_client, violation):
    from salesops.workflow.registry import act_on

    act_on(violation, "confirm", actor=staff.manager1)
    month = timezone.localdate().strftime("%Y%m")
    assert web_client(staff.manager1).get(reverse("compliance:ledger")).status_code == 403

    xlsx = web_client(staff.finance).get(reverse("compliance:ledger"), {"month": month, "format": "xlsx"})
    pdf = web_client(staff.finance).get(reverse("compliance:ledger"), {"month": month, "format": "pdf"})

    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][1] == "sales_a" and rows[1][2] == 1 and rows[1][3] == 1
    assert pdf.content.startswith(b"%PDF")


def test_api_review_and_denials(staff, api_client, violation):
    base = f"/api/compliance/violations/{violation.pk}"

    assert api_client(staff.sales_b).get(base).status_code == 404
    assert api_client(staff.sales_a).post(f"{base}/confirm", {}, content_type="application/json").status_code == 403
    waived = api_client(staff.manager1).post(f"{base}/waive", {"comment": ""}, content_type="application/json")
    confirmed = api_client(staff.manager1).post(f"{base}/confirm", {}, content_type="application/json")

    assert waived.status_code == 422
    assert confirmed.status_code == 200 and confirmed.json()["state"] == "confirmed"
    listed = api_client(staff.sales_a).get("/api/compliance/violations").json()
    assert [row["number"] for row in listed["items"]] == [violation.number]


def test_api_rules_ledger_and_sweep_denials(staff, api_client):
    assert api_client(staff.sales_a).get("/api/compliance/rules").json()["acknowledged"] is False
    assert api_client(staff.sales_a).post("/api/compliance/rules/acknowledge").json()["acknowledged"] is True
    assert api_client(staff.sales_a).get("/api/compliance/ledger?month=202612").status_code == 403
    assert api_client(staff.finance).get("/api/compliance/ledger?month=202613").status_code == 422
    assert api_client(staff.manager1).post("/api/compliance/sweep").status_code == 403
    assert api_client(staff.boss).post("/api/compliance/sweep").status_code == 202
    assert api_client(staff.sales_a).get("/api/compliance/at-risk").status_code == 403


def test_the_admin_enters_next_years_arrangement_on_the_calendar_page(staff, web_client):
    url = reverse("org:calendar-year-enter", args=[2027])
    assert web_client(staff.manager1).get(url).status_code == 403
    client = web_client(staff.admin)
    assert "2027-02-05" in client.get(url).content.decode()  # the known holidays, to correct

    bad = client.post(url, {"holidays": "2027-02-31 春节", "workdays": ""})
    done = client.post(url, {"holidays": "2027-01-01 元旦\n2027-02-05..2027-02-11 春节", "workdays": "2027-02-20 调休"})

    assert bad.status_code == 422 and "holidays" in bad.context["form"].errors
    assert done.status_code == 302
    assert CalendarYear.objects.filter(year=2027).exists()
    assert "2027" in client.get(reverse("org:calendar-years")).content.decode()


def test_managers_see_the_calendar_alert_on_my_tasks_from_december(staff, web_client, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 11, 30))
    assert (
        'data-testid="calendar-alert"'
        not in web_client(staff.manager1).get(reverse("workflow:my-tasks")).content.decode()
    )

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 12, 1))
    for user in (staff.manager1, staff.admin, staff.boss):
        assert 'data-testid="calendar-alert"' in web_client(user).get(reverse("workflow:my-tasks")).content.decode()
    assert (
        'data-testid="calendar-alert"'
        not in web_client(staff.sales_a).get(reverse("workflow:my-tasks")).content.decode()
    )

    CalendarYear.objects.create(year=2027, entered_by=staff.admin)
    assert (
        'data-testid="calendar-alert"'
        not in web_client(staff.manager1).get(reverse("workflow:my-tasks")).content.decode()
    )


def test_the_rules_are_acknowledged_once_adopted(staff, web_client):
    from salesops.compliance.selectors import acknowledgement_tasks

    assert acknowledgement_tasks(staff.sales_a) == []  # nothing adopted yet
    services.rule_set_adopt(
        actor=staff.admin, rule_set=services.current_rule_set(), adopted_on=datetime.date(2026, 12, 1)
    )
    assert [t.kind for t in acknowledgement_tasks(staff.sales_a)] == ["rules"]
    services.acknowledge(actor=staff.sales_a)
    assert acknowledgement_tasks(staff.sales_a) == []
    services.rule_change(actor=staff.admin, code="R3", note="加重", severity="serious")
    assert [t.kind for t in acknowledgement_tasks(staff.sales_a)] == ["rules"]  # the new version asks again
    services.rule_change(actor=staff.admin, code="R3", note="加重", severity="serious")
    assert [t.kind for t in acknowledgement_tasks(staff.sales_a)] == ["rules"]  # the new version asks again


def test_api_admin_changes_adopts_and_sets(staff, api_client):
    admin, manager = api_client(staff.admin), api_client(staff.manager1)
    change = {"note": "加重", "severity": "serious"}

    assert manager.post("/api/compliance/rules/R3/change", change, content_type="application/json").status_code == 403
    changed = admin.post("/api/compliance/rules/R3/change", change, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["version"] == 2
    assert admin.post("/api/compliance/rules/XX/change", change, content_type="application/json").status_code == 422
    adopted = admin.post(
        "/api/compliance/versions/2/adopt", {"adopted_on": "2026-12-01"}, content_type="application/json"
    )
    assert adopted.json()["adopted_on"] == "2026-12-01"
    assert (
        admin.post(
            "/api/compliance/versions/9/adopt", {"adopted_on": "2026-12-01"}, content_type="application/json"
        ).status_code
        == 404
    )

    fine = {"mode": "fine", "appeal_working_days": 3, "monthly_cap": "200", "monthly_points_cap": 10}
    assert admin.put("/api/compliance/settings", fine, content_type="application/json").status_code == 422
    accepted = admin.put(
        "/api/compliance/settings", {**fine, "accept_fine_notice": True}, content_type="application/json"
    )
    assert accepted.json()["mode"] == "fine"
    assert manager.put("/api/compliance/settings", fine, content_type="application/json").status_code == 403
    assert api_client(staff.sales_a).get("/api/compliance/settings").json()["mode"] == "fine"


def test_at_risk_shows_only_the_managers_people_and_the_r4_tally(staff, web_client):
    from salesops.compliance.selectors import rules_at_risk
    from salesops.deals.models import Quotation
    from salesops.deals.tests import contract_factories as cf

    ours, theirs = cf.Deal(staff, staff.sales_a), cf.Deal(staff, staff.sales_c)
    Quotation.objects.filter(pk__in=[ours.quotation.pk, theirs.quotation.pk]).update(is_non_standard=True)

    mine = rules_at_risk(user=staff.manager1)
    [r4] = [t for t in mine["tallies"] if t["code"] == "R4"]
    assert [(person.username, n) for person, n in r4["rows"]] == [("sales_a", 1)]  # not manager2's sales_c
    page = web_client(staff.manager1).get(reverse("compliance:at-risk")).content.decode()
    assert 'data-testid="tally-R4"' in page


def test_the_sweep_asked_on_the_page_runs_in_the_background(staff, web_client):
    from salesops.expenses.tests import factories as ef

    acknowledge_everyone()
    ef.expense(staff.sales_a, incurred_on=timezone.localdate() - datetime.timedelta(days=1))
    assert web_client(staff.manager1).post(reverse("compliance:sweep")).status_code == 403

    response = web_client(staff.boss).post(reverse("compliance:sweep"))

    assert response.status_code == 302
    assert Violation.objects.filter(rule_code="R3").count() == 1  # the test queue runs tasks at once
