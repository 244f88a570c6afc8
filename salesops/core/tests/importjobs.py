"""Test helper: upload through an import page and read the job's page once the task ran."""

from typing import Any


def import_via_job(client: Any, path: str, data: dict[str, Any], capture: Any) -> Any:
    """Post the upload (the task runs on commit, Huey being immediate in tests) and return the
    job's page; ``page.context["job"]`` is the job, its ``errors`` the rows' problems."""
    with capture(execute=True):
        response = client.post(path, data)
    assert response.status_code == 302, response.content[:500]
    assert "/jobs/imports/" in response["Location"]
    page = client.get(response["Location"])
    assert page.status_code == 200
    return page


def error_cells(page: Any) -> set[tuple[int, str]]:
    return {(e["row"], e["column"]) for e in page.context["job"].errors}
