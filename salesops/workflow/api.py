"""My tasks and notifications over the API."""

import datetime

from ninja import Schema
from ninja.pagination import paginate

from salesops.core.api import Pages, Router
from salesops.core.policy import AUTHENTICATED, policy

from .inbox import my_tasks
from .selectors import notification_list

router = Router(tags=["tasks"])


class TaskOut(Schema):
    kind: str
    title: str
    url: str
    number: str
    since: datetime.datetime | None
    step_id: int | None
    detail: str = ""


class NotificationOut(Schema):
    id: int
    text: str
    url: str
    created_at: datetime.datetime
    read_at: datetime.datetime | None


@router.get("/tasks", response=list[TaskOut], operation_id="task_list")
@policy(AUTHENTICATED)
@paginate(Pages)
def task_list(request):
    """My tasks (我的待办): what waits for the caller, oldest first."""
    return my_tasks(request.auth)


@router.get("/notifications", response=list[NotificationOut], operation_id="notification_list")
@policy(AUTHENTICATED)
@paginate(Pages)
def notifications(request):
    """The caller's notifications, newest first."""
    return notification_list(user=request.auth).order_by("-created_at", "-pk")
