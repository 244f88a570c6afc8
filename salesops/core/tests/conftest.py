import pytest


@pytest.fixture(autouse=True)
def _empty_job_progress():
    """Jobs' progress lives in Huey's store (in memory in tests), keyed by job id: ids come back after
    a test's rollback, so a figure left by one test must not make another's job look alive."""
    from huey.contrib.djhuey import HUEY

    HUEY.flush()
    yield
    HUEY.flush()
