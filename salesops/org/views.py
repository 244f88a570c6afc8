"""Log-in and log-out pages; the page where a user (or the admin role, for everyone) sees and
revokes API tokens; the admin's calendar pages (which years are provisional, entering one)."""

import datetime
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import View

from salesops.core.policy import AUTHENTICATED, PUBLIC, policy
from salesops.core.views_generic import FormPage

from .calendar import provisional_years, years_needing_entry
from .forms import CalendarYearForm, provisional_text
from .lockout import ACCOUNT_LOCKED, account_lockout_response
from .models import CalendarYear, User
from .roles import Role
from .selectors import api_token_get_for, api_token_list
from .services import api_token_revoke, calendar_year_enter


@policy(PUBLIC)
class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def form_invalid(self, form):
        if getattr(self.request, ACCOUNT_LOCKED, False):
            return account_lockout_response(self.request)
        return super().form_invalid(form)


@policy(PUBLIC)
class LogoutView(auth_views.LogoutView):
    """POST only (Django 5): GET never changes state."""


TOKENS_PER_PAGE = 25


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)  # @policy(AUTHENTICATED) let only a signed-in user through


@policy(AUTHENTICATED)
class ApiTokenListView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        user = _user(request)
        page_obj = Paginator(api_token_list(user=user), TOKENS_PER_PAGE).get_page(request.GET.get("page"))
        context = {"page_obj": page_obj, "tokens": page_obj.object_list, "all_users": user.has_role(Role.ADMIN)}
        return render(request, "org/api_token_list.html", context)


@policy(AUTHENTICATED)
class ApiTokenRevokeView(View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        token = api_token_get_for(user=_user(request), pk=pk)
        api_token_revoke(token=token, actor=_user(request))
        messages.success(request, _("Token revoked."))
        return redirect("org:api-token-list")


def _calendar_years(today: datetime.date) -> list[dict]:
    entered = {row.year: row for row in CalendarYear.objects.select_related("entered_by")}
    provisional = set(provisional_years(range(today.year - 1, today.year + 2)))
    return [
        {"year": year, "entered": entered.get(year), "provisional": year in provisional}
        for year in range(today.year - 1, today.year + 2)
    ]


@policy(Role.ADMIN)
class CalendarYearListView(View):
    """The years around today: official (entered or in the package) or provisional."""

    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        context = {"years": _calendar_years(today), "needing_entry": years_needing_entry(today)}
        return render(request, "org/calendar_years.html", context)


@policy(Role.ADMIN)
class CalendarYearEnterView(FormPage):
    title: Any = _lazy("Enter the official holiday arrangement")

    def load(self, request: HttpRequest, **kwargs: Any) -> None:
        year = kwargs["year"]
        if not 2000 <= year <= 2100:
            raise Http404
        self.year = year
        self.title = _("Enter the official holiday arrangement of %(year)s") % {"year": year}

    def make_form(self, data=None, files=None):
        return CalendarYearForm(data, initial={"holidays": provisional_text(self.year)})

    def perform(self, form):
        return calendar_year_enter(
            actor=_user(self.request),
            year=self.year,
            holidays=form.cleaned_data["holidays"],
            workdays=form.cleaned_data["workdays"],
            source=form.cleaned_data["source"],
        )

    def success_url(self, result) -> str:
        return reverse("org:calendar-years")

    def success_message(self, result) -> str:
        return _("The arrangement of %(year)s is entered; deadlines in it are no longer provisional.") % {
            "year": result.year
        }

    def cancel_url(self) -> str:
        return reverse("org:calendar-years")
