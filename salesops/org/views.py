"""Log-in and log-out pages, and the page where a user (or the admin role, for everyone) sees and
revokes API tokens."""

from typing import cast

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from salesops.core.policy import AUTHENTICATED, PUBLIC, policy

from .lockout import ACCOUNT_LOCKED, account_lockout_response
from .models import User
from .roles import Role
from .selectors import api_token_get_for, api_token_list
from .services import api_token_revoke


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
