"""The admin site: open to the admin role only; roles and disabling go through the services;
the audit trail is read only."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from salesops.org.models import ApiToken, CalendarOverride, User
from salesops.org.roles import Role
from salesops.org.services import api_token_issue
from salesops.workflow.models import DocumentEvent

pytestmark = pytest.mark.django_db


def _info(model) -> tuple[str, str]:
    return model._meta.app_label, model._meta.model_name


def _admin_urls() -> list[str]:
    """Every admin page but login and logout: index, app lists, and each registered model's
    changelist, add, change, delete and history pages, plus the site's own tools."""
    registry = admin.site._registry
    urls = [reverse("admin:index"), reverse("admin:password_change"), reverse("admin:jsi18n")]
    urls.append(reverse("admin:autocomplete") + "?app_label=org&model_name=user&field_name=manager")
    urls += [reverse("admin:app_list", args=[label]) for label in sorted({m._meta.app_label for m in registry})]
    for model in registry:
        obj = model._default_manager.order_by("pk").first()
        pk = obj.pk if obj is not None else 1
        urls += [
            reverse("admin:{}_{}_changelist".format(*_info(model))),
            reverse("admin:{}_{}_add".format(*_info(model))),
            reverse("admin:{}_{}_change".format(*_info(model)), args=[pk]),
            reverse("admin:{}_{}_delete".format(*_info(model)), args=[pk]),
            reverse("admin:{}_{}_history".format(*_info(model)), args=[pk]),
        ]
    first_user = User.objects.order_by("pk").first()
    assert first_user is not None
    urls.append(reverse("admin:auth_user_password_change", args=[first_user.pk]))
    return urls


@pytest.fixture
def documents(staff):
    """One expense request through submit and approval, so steps, events and notifications exist."""
    from decimal import Decimal

    from salesops.expenses import services

    expense = services.expense_create(
        actor=staff.sales_a,
        category="travel",
        amount=Decimal("800.00"),
        planned_on=timezone.localdate() + datetime.timedelta(days=7),
        purpose="拜访客户",
    )
    services.expense_transition(expense=expense, action="submit", actor=staff.sales_a)
    return services.expense_transition(expense=expense, action="approve", actor=staff.manager1)


def test_admin_opens_every_changelist(staff, documents, web_client):
    client = web_client(staff.admin)
    assert admin.site._registry, "no admin registered"
    for model in admin.site._registry:
        url = reverse("admin:{}_{}_changelist".format(*_info(model)))
        response = client.get(url)
        assert response.status_code == 200, url


def test_admin_opens_every_change_page_and_allowed_add_page(staff, documents, web_client):
    client = web_client(staff.admin)
    for model, model_admin in admin.site._registry.items():
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            url = reverse("admin:{}_{}_change".format(*_info(model)), args=[obj.pk])
            assert client.get(url).status_code == 200, url
        add = client.get(reverse("admin:{}_{}_add".format(*_info(model))))
        assert add.status_code == (200 if model_admin.has_add_permission(add.wsgi_request) else 403), model


def test_admin_opens_change_pages_of_the_organisation(staff, documents, web_client):
    client = web_client(staff.admin)
    for obj in [staff.company, staff.region, staff.branch, staff.hq_sales, staff.sales_a]:
        url = reverse("admin:{}_{}_change".format(*_info(type(obj))), args=[obj.pk])
        assert client.get(url).status_code == 200, url
    for model in [User, CalendarOverride]:
        url = reverse("admin:{}_{}_add".format(*_info(model)))
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["sales_a", "manager1", "boss", "anonymous"])
def test_everybody_but_the_admin_role_is_sent_to_the_admin_login(staff, documents, web_client, client, who):
    # given a salesperson, a sales manager, leadership or nobody
    user_client = client if who == "anonymous" else web_client(getattr(staff, who))
    login = reverse("admin:login")
    for url in _admin_urls():
        # when they open any admin URL
        response = user_client.get(url)
        # then they are redirected to the admin login, nothing shown
        assert response.status_code == 302, url
        assert response["Location"].startswith(login + "?next="), url


def test_staff_flag_without_the_admin_role_is_not_enough(staff, web_client):
    staff.boss.is_staff = True
    staff.boss.save(update_fields=["is_staff"])

    response = web_client(staff.boss).get(reverse("admin:org_user_changelist"))

    assert response.status_code == 302


def test_document_event_admin_offers_no_add_change_or_delete(staff, documents, web_client):
    client = web_client(staff.admin)
    event = DocumentEvent.objects.order_by("pk").first()
    before = list(DocumentEvent.objects.values_list("pk", "action", "comment"))
    model_admin = admin.site._registry[DocumentEvent]

    changelist = client.get(reverse("admin:workflow_documentevent_changelist"))
    assert changelist.status_code == 200
    assert not changelist.context["has_add_permission"]
    assert changelist.context["action_form"] is None  # no actions, no bulk delete

    request = changelist.wsgi_request
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request, event)
    assert model_admin.has_view_permission(request, event)

    assert client.get(reverse("admin:workflow_documentevent_add")).status_code == 403
    assert client.post(reverse("admin:workflow_documentevent_add"), {"action": "x"}).status_code == 403
    change = client.get(reverse("admin:workflow_documentevent_change", args=[event.pk]))
    assert change.status_code == 200 and not change.context["has_change_permission"]
    response = client.post(reverse("admin:workflow_documentevent_change", args=[event.pk]), {"comment": "改"})
    assert response.status_code == 403
    response = client.post(reverse("admin:workflow_documentevent_delete", args=[event.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert list(DocumentEvent.objects.values_list("pk", "action", "comment")) == before


@pytest.mark.parametrize("model_name", ["approvalstep", "notification"])
def test_steps_and_notifications_are_read_only(staff, documents, web_client, model_name):
    client = web_client(staff.admin)

    changelist = client.get(reverse(f"admin:workflow_{model_name}_changelist"))

    assert changelist.status_code == 200
    assert changelist.context["action_form"] is None
    assert client.get(reverse(f"admin:workflow_{model_name}_add")).status_code == 403


def _user_form(user: User, roles: list[str], **overrides) -> dict:
    """The user change form as the admin would post it, with the roles inline."""
    data = {
        "username": user.username,
        "display_name": user.display_name,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "phone": user.phone,
        "branch": user.branch_id or "",
        "department": user.department_id or "",
        "manager": user.manager_id or "",
        "is_active": "on" if user.is_active else "",
        "is_staff": "on" if user.is_staff else "",
        "role_links-TOTAL_FORMS": str(len(roles)),
        "role_links-INITIAL_FORMS": "0",
        "role_links-MIN_NUM_FORMS": "0",
        "role_links-MAX_NUM_FORMS": "1000",
    }
    existing = list(user.role_links.order_by("pk"))
    data["role_links-INITIAL_FORMS"] = str(len(existing))
    total = max(len(existing), len(roles))
    data["role_links-TOTAL_FORMS"] = str(total)
    for index in range(total):
        prefix = f"role_links-{index}-"
        data[prefix + "user"] = str(user.pk)
        if index < len(existing):
            data[prefix + "id"] = str(existing[index].pk)
        if index < len(roles):
            data[prefix + "role"] = roles[index]
        else:
            data[prefix + "role"] = existing[index].role
            data[prefix + "DELETE"] = "on"
    data.update(overrides)
    return {k: v for k, v in data.items() if v != ""}


def test_changing_roles_in_the_admin_ends_the_users_sessions(staff, web_client):
    # given sales_b is signed in with a session and an API token
    user = staff.sales_b
    session = web_client(user)
    assert session.get(reverse("workflow:my-tasks")).status_code == 200
    api_token_issue(user=user)
    stamp = user.security_stamp

    # when the admin makes sales_b a sales manager as well
    admin_client = web_client(staff.admin)
    response = admin_client.post(
        reverse("admin:org_user_change", args=[user.pk]),
        _user_form(user, [Role.SALESPERSON, Role.SALES_MANAGER]),
    )

    # then the roles changed through the service: sessions and tokens ended
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    user.refresh_from_db()
    assert set(user.role_links.values_list("role", flat=True)) == {Role.SALESPERSON, Role.SALES_MANAGER}
    assert user.security_stamp != stamp
    assert not ApiToken.objects.filter(user=user).exists()
    assert session.get(reverse("workflow:my-tasks")).status_code == 302
    # and the admin's own session is untouched
    assert admin_client.get(reverse("admin:index")).status_code == 200


def test_removing_a_role_in_the_admin(staff, web_client):
    user = staff.manager1
    user.role_links.create(role=Role.SALESPERSON)

    response = web_client(staff.admin).post(
        reverse("admin:org_user_change", args=[user.pk]), _user_form(user, [Role.SALES_MANAGER])
    )

    assert response.status_code == 302
    assert set(user.role_links.values_list("role", flat=True)) == {Role.SALES_MANAGER}


def test_unchanged_roles_keep_the_sessions(staff, web_client):
    user = staff.sales_b
    stamp = user.security_stamp

    response = web_client(staff.admin).post(
        reverse("admin:org_user_change", args=[user.pk]), _user_form(user, [Role.SALESPERSON], phone="13800000000")
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.phone == "13800000000"
    assert user.security_stamp == stamp


def test_disabling_a_user_in_the_admin_goes_through_the_service(staff, web_client):
    user = staff.sales_b
    api_token_issue(user=user)
    stamp = user.security_stamp

    response = web_client(staff.admin).post(
        reverse("admin:org_user_change", args=[user.pk]), _user_form(user, [Role.SALESPERSON], is_active="")
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.is_active
    assert user.security_stamp != stamp
    assert not ApiToken.objects.filter(user=user).exists()


def test_admin_changing_own_roles_stays_signed_in(staff, web_client):
    client = web_client(staff.admin)

    response = client.post(
        reverse("admin:org_user_change", args=[staff.admin.pk]),
        _user_form(staff.admin, [Role.ADMIN, Role.LEADERSHIP]),
    )

    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_calendar_override_changelist_is_quiet_when_both_years_are_covered(staff, web_client):
    # both years official: entered by the admin (or built in)
    from salesops.org.models import CalendarYear

    year = datetime.date.today().year
    for entered in (year, year + 1):
        CalendarYear.objects.create(year=entered, entered_by=staff.admin)

    response = web_client(staff.admin).get(reverse("admin:org_calendaroverride_changelist"))

    assert response.status_code == 200
    assert not list(get_messages(response.wsgi_request))


def test_calendar_override_warning_names_the_missing_years(staff, web_client, monkeypatch):
    from salesops.org import admin as org_admin

    monkeypatch.setattr(org_admin, "provisional_years", lambda years: [2027, 2028])

    response = web_client(staff.admin).get(reverse("admin:org_calendaroverride_changelist"))

    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert len(messages) == 1 and "2027, 2028" in messages[0]


def test_admin_adds_a_user_with_roles(staff, web_client):
    response = web_client(staff.admin).post(
        reverse("admin:org_user_add"),
        {
            "username": "sales_new",
            "usable_password": "true",
            "password1": "a long enough passphrase 42",
            "password2": "a long enough passphrase 42",
            "display_name": "新业务员",
            "branch": staff.head_office.pk,
            "department": staff.hq_sales.pk,
            "manager": staff.manager1.pk,
            "role_links-TOTAL_FORMS": "1",
            "role_links-INITIAL_FORMS": "0",
            "role_links-MIN_NUM_FORMS": "0",
            "role_links-MAX_NUM_FORMS": "1000",
            "role_links-0-role": Role.SALESPERSON,
        },
    )

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    user = User.objects.get(username="sales_new")
    assert user.roles == {Role.SALESPERSON}
    assert user.manager == staff.manager1 and user.check_password("a long enough passphrase 42")
