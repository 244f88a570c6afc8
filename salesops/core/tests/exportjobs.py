"""Test helpers for exports (issue 7, item 4): export a list at once or through its background job,
read a workbook cell by cell, and add many customers quickly."""

from io import BytesIO
from typing import Any

from openpyxl import load_workbook

from salesops.core.models import Job
from salesops.customers.models import Customer
from salesops.customers.tests.factories import CustomerFactory


def inline_export(client: Any, url: str, settings: Any) -> bytes:
    """The workbook answered at once (the list is under the job threshold)."""
    settings.EXPORT_INLINE_ROWS = 100_000
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return response.content


def job_export(client: Any, url: str, settings: Any, capture: Any) -> tuple[Job, bytes]:
    """The same list exported as a background job: the offer page, the POST (the task runs on
    commit, Huey being immediate in tests), the job's page, the download."""
    settings.EXPORT_INLINE_ROWS = 0
    offer = client.get(url)
    assert offer.status_code == 200 and 'data-testid="export-start"' in offer.content.decode()
    with capture(execute=True):
        response = client.post(url)
    assert response.status_code == 302 and "/jobs/exports/" in response["Location"], response.content[:300]
    page = client.get(response["Location"])
    job = page.context["job"]
    assert job.state == "done", job.message
    download = client.get(f"/jobs/exports/{job.pk}/download/")
    assert download.status_code == 200
    return job, b"".join(download.streaming_content)


def cells(content: bytes) -> tuple[str, list[list[tuple]]]:
    """The sheet's title and every cell as (value, type, number format, quote prefix)."""
    sheet = load_workbook(BytesIO(content)).worksheets[0]
    rows = [
        [(cell.value, cell.data_type, cell.number_format, bool(cell.quotePrefix)) for cell in row]
        for row in sheet.iter_rows()
    ]
    return sheet.title, rows


def many_customers(staff: Any, count: int, *, owner: Any = None, prefix: str = "BULK") -> None:
    """``count`` customers in one INSERT (the export reads them; how they were made does not matter)."""
    owner = owner or staff.sales_a
    Customer.objects.bulk_create(
        [
            CustomerFactory.build(owner=owner, region=staff.region, code=f"{prefix}{n:06d}", name=f"批量客户{n}")
            for n in range(count)
        ]
    )
