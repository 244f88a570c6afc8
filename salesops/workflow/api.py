"""My tasks and notifications over the API."""

import datetime

from ninja import Schema

from salesops.core.api import Router
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


class NotificationOut(Schema):
    id: int
    text: str
    url: str
    created_at: datetime.datetime
    read_at: datetime.datetime | None


@router.get("/tasks", response=list[TaskOut], operation_id="task_list")
@policy(AUTHENTICATED)
def task_list(request):
    return my_tasks(request.auth)


@router.get("/notifications", response=list[NotificationOut], operation_id="notification_list")
@policy(AUTHENTICATED)
def notifications(request):
    return notification_list(user=request.auth)[:100]
