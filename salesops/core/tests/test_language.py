"""The UI is Chinese by default, whatever the browser prefers, and English is one click away."""

import pytest

pytestmark = pytest.mark.django_db


def test_chinese_by_default_even_for_an_english_browser(web_client, staff):
    response = web_client(staff.sales_a).get("/tasks/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "zh-hans"
    assert 'lang="zh-hans"' in response.content.decode()


def test_the_switch_changes_the_language_and_keeps_it(web_client, staff):
    client = web_client(staff.sales_a)
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/tasks/"})
    assert switched.status_code == 302 and switched["Location"] == "/tasks/"
    page = client.get("/tasks/")
    assert page["Content-Language"] == "en"
    assert "My tasks" in page.content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/tasks/"})
    assert client.get("/tasks/")["Content-Language"] == "zh-hans"


def test_an_unknown_language_cookie_falls_back_to_chinese(web_client, staff, settings):
    client = web_client(staff.sales_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert client.get("/tasks/")["Content-Language"] == "zh-hans"
