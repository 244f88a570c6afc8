"""A campaign's background jobs (R13): prepare all with its progress, e-mail all with the PDFs
(Huey runs them at once in tests; the mail goes to Django's locmem outbox), every PDF in a zip."""

import datetime
import io
import smtplib
import zipfile

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from salesops.core.models import Job, JobOperation, JobState
from salesops.receivables import tasks_statements
from salesops.receivables.models import SendMethod, Statement, StatementRun, StatementState
from salesops.receivables.selectors.statements import JOB_EMAIL, JOB_PDFS, JOB_PREPARE

from .statement_data import campaign, paying_customer, sent, statement_of

pytestmark = pytest.mark.django_db


class RefusingBackend(EmailBackend):
    """The outside world's mail server, refusing one address."""

    def send_messages(self, messages):
        if any("refused@" in address for message in messages for address in message.to):
            raise smtplib.SMTPRecipientsRefused({"refused@example.cn": (550, b"no such user")})
        return super().send_messages(messages)


def _post(client, url, capture):
    with capture(execute=True):
        return client.post(url)


def test_prepare_all_runs_as_a_job_whose_progress_ends_at_every_customer(
    staff, web_client, django_capture_on_commit_callbacks
):
    for owner in (staff.sales_a, staff.sales_b, staff.sales_c):
        paying_customer(staff, owner)
    run = campaign(staff, prepare=False)
    client = web_client(staff.back_office)
    answer = _post(
        client, reverse("receivables:statement-run-prepare", args=[run.pk]), django_capture_on_commit_callbacks
    )
    assert answer.status_code == 302
    job = Job.objects.get(operation=JobOperation.BATCH, kind=JOB_PREPARE)
    run.refresh_from_db()
    assert job.state == JobState.DONE and job.user == staff.back_office
    # rows_done is where the job's progress stood when it finished: every customer
    assert (job.rows_done, job.rows_total) == (3, 3) == (run.prepared, run.customers)
    assert Statement.objects.filter(run=run).count() == 3
    # the campaign page shows the outcome; asking again prepares nothing twice
    html = client.get(run.get_absolute_url()).content.decode()
    assert 'data-testid="job-receivablesstatements-prepare" data-state="done"' in html
    _post(client, reverse("receivables:statement-run-prepare", args=[run.pk]), django_capture_on_commit_callbacks)
    assert Statement.objects.filter(run=run).count() == 3
    assert Job.objects.filter(kind=JOB_PREPARE).count() == 2


def test_a_prepare_job_asked_twice_while_queued_is_one_job(staff, web_client):
    run = campaign(staff, prepare=False)
    client = web_client(staff.finance)
    client.post(reverse("receivables:statement-run-prepare", args=[run.pk]))  # not committed: stays queued
    client.post(reverse("receivables:statement-run-prepare", args=[run.pk]))
    assert Job.objects.filter(kind=JOB_PREPARE, state=JobState.QUEUED).count() == 1


def test_the_job_panel_polls_while_running_and_shows_the_figures(staff, web_client):
    run = campaign(staff, prepare=False)
    job = tasks_statements.statement_job_start(actor=staff.finance, run=run, kind=JOB_PREPARE)
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, started_at=timezone.now(), rows_total=4)
    from salesops.core.services import jobs

    jobs.put_progress(job.pk, 1, 4)
    url = reverse("receivables:statement-job-progress", args=[run.pk, job.pk])
    html = web_client(staff.back_office).get(url).content.decode()
    assert 'hx-trigger="every 1s"' in html and 'value="1" max="4"' in html
    # another campaign's page does not show it
    other = StatementRun.objects.create(
        period_start=datetime.date(2020, 1, 1), period_end=datetime.date(2020, 6, 30), created_by=staff.finance
    )
    assert (
        web_client(staff.finance)
        .get(reverse("receivables:statement-job-progress", args=[other.pk, job.pk]))
        .status_code
        == 404
    )


def test_email_all_sends_each_pdf_to_the_customers_with_an_address_and_records_the_sends(
    staff, web_client, django_capture_on_commit_callbacks, settings
):
    settings.EMAIL_BACKEND = "salesops.receivables.tests.test_campaign_jobs.RefusingBackend"
    with_address = paying_customer(staff, email="cw@example.cn")
    refusing = paying_customer(staff, staff.sales_b, email="refused@example.cn")
    by_hand = paying_customer(staff, staff.sales_c)
    run = campaign(staff)
    client = web_client(staff.finance)
    page = client.get(reverse("receivables:statement-run-email", args=[run.pk])).content.decode()
    assert statement_of(run, by_hand).number in page.split('data-testid="by-hand"')[1]
    assert statement_of(run, with_address).number in page.split('data-testid="by-email"')[1].split("by-hand")[0]
    _post(client, reverse("receivables:statement-run-email", args=[run.pk]), django_capture_on_commit_callbacks)
    # then the customer with an address got their PDF and the send is recorded
    assert [message.to for message in mail.outbox] == [["cw@example.cn"]]
    message = mail.outbox[0]
    statement = statement_of(run, with_address)
    ((name, content, kind),) = message.attachments
    assert kind == "application/pdf" and name.endswith(f"{statement.number}.pdf")
    assert with_address.name in "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert (statement.state, statement.sent_by, statement.sent_to) == (
        StatementState.SENT,
        SendMethod.EMAIL,
        "cw@example.cn",
    )
    assert statement.reply_due.isoformat() in message.body
    # the refused one is listed on the job and recorded nowhere; the one without an address waits
    job = Job.objects.get(kind=JOB_EMAIL)
    assert job.state == JobState.DONE and (job.rows_done, job.rows_total) == (1, 2)
    assert [error["column"] for error in job.errors] == [statement_of(run, refusing).number]
    assert statement_of(run, refusing).state == StatementState.ISSUED
    assert statement_of(run, by_hand).state == StatementState.ISSUED
    page = client.get(reverse("receivables:statement-run-email", args=[run.pk])).content.decode()
    assert statement_of(run, by_hand).number in page.split('data-testid="by-hand"')[1]
    assert 'data-testid="job-errors"' in page


def test_email_all_never_mails_a_statement_sent_meanwhile(staff, web_client, django_capture_on_commit_callbacks):
    customer = paying_customer(staff, email="cw@example.cn")
    run = campaign(staff)
    statement = statement_of(run, customer)
    job = tasks_statements.statement_job_start(actor=staff.finance, run=run, kind=JOB_EMAIL)
    sent(statement, staff.sales_a, to="当面交给李会计")  # by hand, before the job runs
    tasks_statements.statement_job_run(job_id=job.pk)
    assert mail.outbox == []
    statement.refresh_from_db()
    assert statement.sent_by == SendMethod.POST
    job.refresh_from_db()
    assert job.state == JobState.DONE and (job.rows_total, job.errors) == (0, [])


def test_email_all_is_for_finance_and_the_sales_office(staff, web_client):
    run = campaign(staff, prepare=False)
    assert web_client(staff.manager1).post(reverse("receivables:statement-run-email", args=[run.pk])).status_code == 403
    assert not Job.objects.exists()


def test_download_all_pdfs_gives_one_pdf_per_customer_in_a_zip(staff, web_client):
    first = paying_customer(staff)
    second = paying_customer(staff, staff.sales_b)
    run = campaign(staff)
    answer = web_client(staff.finance).get(reverse("receivables:statement-run-pdfs", args=[run.pk]))
    assert answer.status_code == 200 and answer["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(answer.streaming_content)))
    names = sorted(archive.namelist())
    assert names == sorted(tasks_statements.pdf_filename(statement_of(run, customer)) for customer in (first, second))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(archive.read(names[0]))).pages)
    assert "对账单" in text.replace(" ", "")


def test_a_large_campaign_zips_its_pdfs_in_a_job_for_its_requester_only(
    staff, web_client, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(tasks_statements, "ZIP_INLINE_LIMIT", 1)
    paying_customer(staff)
    paying_customer(staff, staff.sales_b)
    run = campaign(staff)
    client = web_client(staff.finance)
    url = reverse("receivables:statement-run-pdfs", args=[run.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'data-testid="start-pdfs"' in page.content.decode()
    _post(client, url, django_capture_on_commit_callbacks)
    job = Job.objects.get(kind=JOB_PDFS)
    assert job.state == JobState.DONE and job.rows_done == 2
    download = reverse("receivables:statement-job-download", args=[run.pk, job.pk])
    assert download in client.get(run.get_absolute_url()).content.decode()
    answer = client.get(download)
    assert len(zipfile.ZipFile(io.BytesIO(b"".join(answer.streaming_content))).namelist()) == 2
    # the sales office neither sees nor downloads finance's zip
    office = web_client(staff.back_office)
    assert download not in office.get(run.get_absolute_url()).content.decode()
    assert office.get(download).status_code == 404
    # a day later the file is gone
    later = timezone.now() + datetime.timedelta(days=2)
    assert tasks_statements.sweep_statement_files(now=later) == (0, 1)
    job.refresh_from_db()
    assert job.state == JobState.EXPIRED and not job.file
    assert client.get(download).status_code == 404


def test_the_sweep_queues_again_a_statement_job_whose_task_was_lost(staff, django_capture_on_commit_callbacks):
    paying_customer(staff)
    run = campaign(staff, prepare=False)
    job = tasks_statements.statement_job_start(actor=staff.finance, run=run, kind=JOB_PREPARE)  # its task never ran
    later = timezone.now() + datetime.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks_statements.sweep_statement_files(now=later) == (1, 0)
    job.refresh_from_db()
    assert job.state == JobState.DONE and Statement.objects.filter(run=run).count() == 1
