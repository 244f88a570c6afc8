"""The daily collection check pages (R11): the recent working days, and one day's receipts with
the sales office's and finance's confirmations, the differences and the reopening of a closed day.
Every change goes through ``services.checks``."""

import datetime
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from salesops.core.errors import ApplicationError, InvalidInput
from salesops.core.policy import policy
from salesops.org.roles import Role

from .permissions import CHECKERS
from .selectors.checks import day_detail, recent_days
from .services import checks

VIEWERS = (*CHECKERS, Role.LEADERSHIP, Role.ADMIN)


@policy(*VIEWERS)
class DailyCheckListView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        rows = recent_days(user=request.user)
        return render(request, "receivables/checks/day_list.html", {"rows": rows})


def _day_of(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as exc:
        raise Http404(_("No such day.")) from exc


@policy(*VIEWERS)
class DailyCheckView(View):
    """GET the day; POST one of its steps (``step``: confirm, difference, resolve, reopen)."""

    def get(self, request: HttpRequest, day: str, errors: dict[str, Any] | None = None, status: int = 200):
        context = day_detail(user=request.user, day=_day_of(day))
        context.update(
            errors=errors or {},
            may_check=request.user.has_role(*CHECKERS),
            may_reopen=request.user.has_role(Role.FINANCE),
        )
        return render(request, "receivables/checks/day_detail.html", context, status=status)

    def post(self, request: HttpRequest, day: str) -> HttpResponse:
        when = _day_of(day)
        step = request.POST.get("step", "")
        try:
            if step == "confirm":
                check = checks.daily_check_confirm(
                    actor=request.user, day=when, comment=request.POST.get("comment", "")
                )
                messages.success(
                    request, _("Confirmed.") if check.state == "open" else _("The day is checked and closed.")
                )
            elif step == "difference":
                checks.difference_add(
                    actor=request.user,
                    day=when,
                    text=request.POST.get("text", ""),
                    amount=request.POST.get("amount", "") or None,
                )
            elif step == "resolve":
                checks.difference_resolve(
                    actor=request.user,
                    difference_id=_int(request.POST.get("difference_id")),
                    resolution=request.POST.get("resolution", ""),
                )
            elif step == "reopen":
                checks.daily_check_reopen(actor=request.user, day=when, reason=request.POST.get("reason", ""))
            else:
                raise InvalidInput(_("Unknown step."), fields={"step": [_("Unknown step.")]})
        except InvalidInput as exc:
            return self.get(request, day, errors=exc.extra.get("fields", {}), status=422)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return self.get(request, day, status=exc.status)
        return HttpResponseRedirect(reverse("receivables:daily-check", args=[when.isoformat()]))


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
