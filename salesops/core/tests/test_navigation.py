"""The menu shows an entry exactly when the route's own policy lets the user in, and it opens."""

import pytest
from django.urls import reverse

from salesops.navigation import MENU
from salesops.org.roles import Role

pytestmark = pytest.mark.django_db

# One member of staff per role (build_staff gives each a single role).
ROLE_HOLDERS = {
    Role.SALESPERSON: "sales_a",
    Role.SALES_MANAGER: "manager1",
    Role.BRANCH_MANAGER: "branch_mgr",
    Role.BACK_OFFICE: "back_office",
    Role.WAREHOUSE: "warehouse",
    Role.FINANCE: "finance",
    Role.TECHNICAL: "technical",
    Role.PURCHASING: "purchasing",
    Role.LEADERSHIP: "boss",
    Role.ADMIN: "admin",
}
ENTRIES = [item for _group, items in MENU for item in items]


def _menu_urls(context) -> set[str]:
    urls = set()
    for entry in context["nav_menu"]:
        if "link" in entry:
            urls.add(entry["link"]["url"])
        else:
            urls.update(item["url"] for item in entry["items"])
    return urls


def test_every_role_is_covered():
    assert set(ROLE_HOLDERS) == set(Role)


@pytest.mark.parametrize("role", sorted(ROLE_HOLDERS))
def test_an_entry_is_shown_exactly_when_its_route_lets_the_role_in(staff, web_client, role):
    user = getattr(staff, ROLE_HOLDERS[role])
    assert user.roles == frozenset({role})
    client = web_client(user)

    # the menu as the role sees it on any page
    page = client.get(reverse("workflow:my-tasks"))
    assert page.status_code == 200
    shown = _menu_urls(page.context)

    for entry in ENTRIES:
        url = reverse(entry.url_name)
        allowed = entry.policy.allows(user)
        assert (url in shown) == allowed, (role, entry.url_name)
        # and the route answers as the menu promises: the page opens, or it is refused
        assert client.get(url).status_code == (200 if allowed else 403), (role, entry.url_name)


def test_a_salesperson_finds_the_support_requests_the_route_lets_them_read(staff, web_client):
    # the support request list is open to sales (their inquiries' requests): the menu says so too
    page = web_client(staff.sales_a).get(reverse("workflow:my-tasks"))
    assert reverse("deals:supportrequest-list") in _menu_urls(page.context)
    # and a warehouse keeper, whom no deals route admits, sees no deals entry at all
    page = web_client(staff.warehouse).get(reverse("workflow:my-tasks"))
    assert not {u for u in _menu_urls(page.context) if u.startswith("/deals/")}
