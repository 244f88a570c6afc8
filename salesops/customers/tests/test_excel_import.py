"""Customer import and export through Excel (UI and API): all rows or none, errors by row and column."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from salesops.core.tests.importjobs import error_cells, import_via_job
from salesops.customers.models import Customer

pytestmark = pytest.mark.django_db

HEADER = ["客户编码", "客户名称", "客户类型", "区域编码", "业务员用户名", "信用额度", "潜力等级", "有效"]


def xlsx(rows, header=HEADER) -> bytes:
    book = Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name="customers.xlsx"):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


GOOD = [
    ["X001", "德州农机站", "终端用户", "SD", "sales_a", 5000, "A", "是"],
    ["X002", "聊城经销部", "dealer", "SD", "sales_b", "1200.50", "B", "是"],
]
BAD = [
    ["X001", "德州农机站", "终端用户", "SD", "sales_a", 5000, "A", "是"],
    ["X002", "聊城经销部", "经销商", "ZZ", "sales_b", 1, "B", "是"],  # unknown region
    ["X003", "菏泽", "经销商", "SD", "sales_b", 10.555, "B", "是"],  # three decimals
    ["X004", "青岛", "经销商", "SD", "sales_c", 1, "B", "是"],  # not manager1's salesperson
    ["X001", "重复", "经销商", "SD", "sales_a", 1, "B", "是"],  # duplicate code in the file
]


def test_manager_imports_a_good_file(staff, web_client, django_capture_on_commit_callbacks):
    page = import_via_job(
        web_client(staff.manager1),
        "/customers/import/",
        {"file": upload(xlsx(GOOD))},
        django_capture_on_commit_callbacks,
    )
    assert page.context["job"].state == "done"
    assert "2" in page.context["summary"]
    customers = {c.code: c for c in Customer.objects.select_related("owner")}
    assert set(customers) == {"X001", "X002"}
    assert customers["X002"].owner == staff.sales_b and customers["X002"].kind == "dealer"
    assert str(customers["X002"].credit_limit_amount) == "1200.50"
    assert customers["X001"].department == staff.hq_sales


def test_a_file_with_bad_rows_names_row_and_column_and_imports_nothing(
    staff, web_client, django_capture_on_commit_callbacks
):
    # when manager1 uploads a file with four bad rows among good ones
    page = import_via_job(
        web_client(staff.manager1),
        "/customers/import/",
        {"file": upload(xlsx(BAD))},
        django_capture_on_commit_callbacks,
    )
    # then the job failed, its page lists each problem by row and column, and nothing is imported
    assert page.context["job"].state == "failed"
    assert error_cells(page) == {(3, "区域编码"), (4, "信用额度"), (5, "业务员用户名"), (6, "客户编码")}
    body = page.content.decode()
    assert 'data-testid="import-error" data-row="3"' in body and "区域编码" in body
    assert not Customer.objects.exists()


def test_a_code_that_already_exists_is_refused_by_the_service_on_its_column(
    staff, web_client, customer_a, django_capture_on_commit_callbacks
):
    rows = [
        ["X009", "新客户", "经销商", "SD", "sales_a", 1, "B", "是"],
        [customer_a.code, "重名", "经销商", "SD", "sales_a", 1, "B", "是"],
    ]
    page = import_via_job(
        web_client(staff.manager1),
        "/customers/import/",
        {"file": upload(xlsx(rows))},
        django_capture_on_commit_callbacks,
    )
    assert error_cells(page) == {(3, "客户编码")}
    assert list(Customer.objects.values_list("code", flat=True)) == [customer_a.code]


def test_salespeople_and_read_only_roles_cannot_import(staff, web_client, api_client):
    for user in (staff.sales_a, staff.finance, staff.boss):
        assert web_client(user).post("/customers/import/", {"file": upload(xlsx(GOOD))}).status_code == 403
        assert api_client(user).post("/api/customers/import", {"file": upload(xlsx(GOOD))}).status_code == 403
    assert not Customer.objects.exists()


def test_api_import_queues_a_job_whose_status_gives_the_bad_cells_or_the_count(
    staff, api_client, django_capture_on_commit_callbacks
):
    client = api_client(staff.manager1)
    # when a file with bad rows is posted, the answer is 202 with the job, queued
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/customers/import", {"file": upload(xlsx(BAD))})
    assert response.status_code == 202
    queued = response.json()
    assert (queued["operation"], queued["kind"], queued["state"]) == ("import", "customers", "queued")
    assert queued["status_url"] == f"/api/jobs/{queued['id']}"
    # then its status, once the task ran, names each bad row and column, and nothing is imported
    status = client.get(queued["status_url"]).json()
    assert status["state"] == "failed" and status["rows_done"] == 0
    assert {(r["row"], r["column"]) for r in status["errors"]} == {
        (3, "区域编码"),
        (4, "信用额度"),
        (5, "业务员用户名"),
        (6, "客户编码"),
    }
    assert not Customer.objects.exists()
    # and a good file's job ends done with the count
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/customers/import", {"file": upload(xlsx(GOOD))})
    status = client.get(response.json()["status_url"]).json()
    assert (status["state"], status["rows_done"], status["percent"], status["errors"]) == ("done", 2, 100, [])
    assert "2" in status["message"] and status["download_url"] is None
    assert Customer.objects.count() == 2


def test_api_import_refuses_wrong_bytes_and_oversize(staff, api_client, settings):
    client = api_client(staff.admin)
    response = client.post("/api/customers/import", {"file": upload(b"%PDF-1.4 fake")})
    assert response.status_code == 422
    assert "file" in response.json()["extra"]["fields"]
    settings.UPLOAD_MAX_BYTES = 2000
    response = client.post("/api/customers/import", {"file": upload(xlsx(GOOD))})
    assert response.status_code == 422
    assert not Customer.objects.exists()


def test_ui_import_refuses_wrong_bytes_on_the_file_field(staff, web_client):
    response = web_client(staff.admin).post("/customers/import/", {"file": upload(b"not a workbook")})
    assert response.status_code == 422
    assert 'data-field-error="file"' in response.content.decode()


def test_the_template_download_has_the_import_columns(staff, web_client):
    response = web_client(staff.manager1).get("/customers/import/", {"template": "1"})
    header = next(load_workbook(BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert header[:5] == ("客户编码", "客户名称", "客户类型", "区域编码", "业务员用户名")


def test_an_exported_sheet_can_be_read_back_by_import(
    staff, web_client, customer_a, django_capture_on_commit_callbacks
):
    # export, change the codes, import: a round trip through Excel
    content = web_client(staff.manager1).get("/customers/export.xlsx").content
    book = load_workbook(BytesIO(content))
    book.worksheets[0]["A2"] = "RT0001"
    buffer = BytesIO()
    book.save(buffer)
    client = web_client(staff.manager1)
    page = import_via_job(
        client, "/customers/import/", {"file": upload(buffer.getvalue())}, django_capture_on_commit_callbacks
    )
    assert page.context["job"].state == "done"
    copy = Customer.objects.get(code="RT0001")
    assert (copy.name, copy.owner, copy.kind) == (customer_a.name, customer_a.owner, customer_a.kind)


def test_a_salesperson_exports_only_their_own(staff, api_client, customer_a, customer_of):
    customer_of(staff.sales_b, code="B0001")
    content = api_client(staff.sales_a).get("/api/customers/export.xlsx").content
    codes = [r[0] for r in load_workbook(BytesIO(content)).worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert codes == [customer_a.code]
