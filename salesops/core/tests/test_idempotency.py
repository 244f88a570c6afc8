"""Idempotency-Key on creating POSTs (RELIABILITY.md T5): a retried or double-clicked request
creates one document; the same key with another body is refused."""

import json
import threading

import pytest
from django.db import connection
from django.test import Client

from salesops.expenses.models import ExpenseRequest
from salesops.org.services import api_token_issue

BODY = {"category": "travel", "amount": "350.00", "planned_on": "2026-12-02", "purpose": "拜访潍坊经销商"}


def _post(client, body, key):
    return client.post("/api/expenses/", json.dumps(body), content_type="application/json", HTTP_IDEMPOTENCY_KEY=key)


@pytest.mark.django_db
def test_replay_returns_the_first_answer_and_creates_nothing_more(staff, api_client):
    client = api_client(staff.sales_a)
    first = _post(client, BODY, "k-1")
    second = _post(client, BODY, "k-1")
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert ExpenseRequest.objects.count() == 1


@pytest.mark.django_db
def test_same_key_with_another_body_is_refused(staff, api_client):
    client = api_client(staff.sales_a)
    _post(client, BODY, "k-2")
    other = _post(client, {**BODY, "amount": "999.00"}, "k-2")
    assert other.status_code == 422
    assert "Idempotency-Key" in other.json()["extra"]["fields"]
    assert ExpenseRequest.objects.count() == 1


@pytest.mark.django_db
def test_keys_belong_to_their_user(staff, api_client):
    _post(api_client(staff.sales_a), BODY, "shared-key")
    _post(api_client(staff.sales_b), BODY, "shared-key")
    assert ExpenseRequest.objects.count() == 2


@pytest.mark.django_db
def test_a_refused_request_does_not_use_up_its_key(staff, api_client):
    client = api_client(staff.sales_a)
    assert _post(client, {**BODY, "amount": "-1"}, "k-3").status_code == 422
    assert _post(client, BODY, "k-3").status_code == 201


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_retries_with_one_key_create_one_document(staff):
    token = api_token_issue(user=staff.sales_a)
    barrier = threading.Barrier(20)
    statuses: list[int] = []
    bodies: list[dict] = []
    lock = threading.Lock()

    def retry() -> None:
        try:
            client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
            barrier.wait(timeout=30)
            response = _post(client, BODY, "double-click")
            with lock:
                statuses.append(response.status_code)
                bodies.append(response.json())
        finally:
            connection.close()

    threads = [threading.Thread(target=retry) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [201] * 20
    assert ExpenseRequest.objects.count() == 1
    assert {body["number"] for body in bodies} == {ExpenseRequest.objects.get().number}


@pytest.mark.django_db
def test_a_key_with_a_control_character_is_refused_and_creates_nothing(staff, api_client):
    # given a key holding a NUL (PostgreSQL cannot store it)
    client = api_client(staff.sales_a)
    # when used
    response = _post(client, BODY, "k\x00")
    # then 422 naming the header, no expense
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["extra"]["fields"]
    assert ExpenseRequest.objects.count() == 0
