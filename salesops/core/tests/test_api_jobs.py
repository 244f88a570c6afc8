"""``GET /api/jobs/{id}`` and ``GET /api/jobs/{id}/download`` (issue 7, item 4): a job's state,
progress and outcome, to its requester only; another user's job, whatever their role, is a 404."""

import datetime
from io import BytesIO

import pytest
from django.utils import timezone, translation
from openpyxl import load_workbook

from salesops.api import api
from salesops.core.models import Job
from salesops.core.selectors import stopped_message
from salesops.core.services import jobs
from salesops.core.tests.test_export_jobs import customer_job, run
from salesops.core.tests.test_import_jobs import queued_job
from salesops.customers.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_a_queued_import_reads_queued_with_no_progress(staff, api_client):
    job = queued_job(staff.manager1)
    body = api_client(staff.manager1).get(f"/api/jobs/{job.pk}").json()
    assert body["id"] == job.pk and (body["operation"], body["state"], body["percent"]) == ("import", "queued", 0)
    assert body["status_url"] == f"/api/jobs/{job.pk}" and body["download_url"] is None


def test_a_running_job_gives_its_progress(staff, api_client):
    job = customer_job(staff.manager1)
    Job.objects.filter(pk=job.pk).update(state="running", started_at=timezone.now())
    jobs.put_progress(job.pk, 750, 3000)
    body = api_client(staff.manager1).get(f"/api/jobs/{job.pk}").json()
    assert (body["state"], body["rows_done"], body["rows_total"], body["percent"]) == ("running", 750, 3000, 25)


def test_a_dead_running_job_reads_failed_with_the_reason(staff, api_client, settings):
    settings.JOB_STALE_SECONDS = 60
    job = customer_job(staff.manager1)
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    Job.objects.filter(pk=job.pk).update(state="running", started_at=long_ago)
    body = api_client(staff.manager1).get(f"/api/jobs/{job.pk}").json()
    with translation.override(job.language):
        assert (body["state"], body["message"]) == ("failed", stopped_message("export"))


def test_a_finished_export_is_downloaded_through_the_api_by_its_requester(staff, api_client):
    CustomerFactory.create_batch(2, owner=staff.sales_a, region=staff.region)
    job = run(customer_job(staff.manager1))
    client = api_client(staff.manager1)
    body = client.get(f"/api/jobs/{job.pk}").json()
    assert (body["state"], body["rows_done"], body["percent"]) == ("done", 2, 100)
    assert body["download_url"] == f"/api/jobs/{job.pk}/download"
    response = client.get(body["download_url"])
    assert response.status_code == 200 and response["Content-Disposition"].endswith('filename="customers.xlsx"')
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).worksheets[0]
    assert sheet.max_row == 3


@pytest.mark.parametrize("path", ["/api/jobs/{pk}", "/api/jobs/{pk}/download"])
def test_another_users_job_is_a_404_whatever_their_role(staff, api_client, path):
    CustomerFactory(owner=staff.sales_a, region=staff.region)
    job = run(customer_job(staff.manager1))
    url = path.format(pk=job.pk)
    assert api_client(staff.manager1).get(url).status_code == 200
    for other in (staff.admin, staff.boss, staff.manager2, staff.sales_a):
        response = api_client(other).get(url)
        assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert api_client(staff.manager1).get(path.format(pk=job.pk + 1000)).status_code == 404


def test_an_import_has_nothing_to_download_nor_has_an_unfinished_export(staff, api_client):
    client = api_client(staff.manager1)
    assert client.get(f"/api/jobs/{queued_job(staff.manager1).pk}/download").status_code == 404
    assert client.get(f"/api/jobs/{customer_job(staff.manager1).pk}/download").status_code == 404


def test_anonymous_gets_401(staff, client):
    job = queued_job(staff.manager1)
    assert client.get(f"/api/jobs/{job.pk}").status_code == 401


def test_an_id_no_database_holds_is_a_404_not_a_500(staff, api_client):
    response = api_client(staff.manager1).get(f"/api/jobs/{2**70}")
    assert response.status_code in (404, 422)


def test_the_openapi_document_declares_the_jobs_answers():
    schema = api.get_openapi_schema()
    get = schema["paths"]["/api/jobs/{job_id}"]["get"]
    assert {"200", "401", "403", "404"} <= set(map(str, get["responses"]))
    download = schema["paths"]["/api/jobs/{job_id}/download"]["get"]
    assert "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" in download["responses"][200]["content"]
    answer = schema["paths"]["/api/customers/import"]["post"]["responses"]
    assert "202" in set(map(str, answer)) and "200" not in set(map(str, answer))


def test_the_schemas_states_and_operations_are_the_models():
    from typing import get_args

    from salesops.core.api_jobs import Operation, State
    from salesops.core.models import JobOperation, JobState

    assert list(get_args(State)) == JobState.values and list(get_args(Operation)) == JobOperation.values


def test_a_long_list_is_exported_by_the_api_as_a_job_and_a_get_refuses_it(
    staff, api_client, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_INLINE_ROWS = 3
    for n in range(5):
        CustomerFactory(owner=staff.sales_a, region=staff.region, name=f"济南农机客户{n}")
    client = api_client(staff.sales_a)

    refused = client.get("/api/customers/export.xlsx")
    with django_capture_on_commit_callbacks(execute=True):  # the queue runs the job once it is committed
        queued = client.post(
            "/api/jobs/exports", {"kind": "customers", "query": {"q": "济南"}}, content_type="application/json"
        )

    assert refused.status_code == 422 and "/api/jobs/exports" in refused.json()["message"]
    assert queued.status_code == 202
    body = client.get(queued.json()["status_url"]).json()
    assert (body["state"], body["rows_total"]) == ("done", 5)
    sheet = load_workbook(BytesIO(b"".join(client.get(body["download_url"]).streaming_content))).active
    assert sheet.max_row == 6  # the header and the five customers sales_a may see
    assert api_client(staff.sales_b).get(body["download_url"]).status_code == 404


def test_an_export_job_of_an_unknown_kind_or_a_list_the_role_may_not_export_is_refused(staff, api_client):
    unknown = api_client(staff.sales_a).post("/api/jobs/exports", {"kind": "nothing"}, content_type="application/json")
    forbidden = api_client(staff.sales_a).post(
        "/api/jobs/exports", {"kind": "contract-register", "period": "202611"}, content_type="application/json"
    )
    assert unknown.status_code == 422 and "kind" in unknown.json()["extra"]["fields"]
    assert forbidden.status_code == 403
    assert not Job.objects.exists()
