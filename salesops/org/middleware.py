"""Absolute session lifetime (12 h); the idle limit is SESSION_COOKIE_AGE with save-every-request."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

SESSION_STARTED = "salesops_auth_started"


class SessionLifetimeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            started = request.session.get(SESSION_STARTED)
            now = int(time.time())
            if started is None:
                request.session[SESSION_STARTED] = now
            elif now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
        return self.get_response(request)
