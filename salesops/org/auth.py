"""How the API knows its caller: a Bearer token issued to a user, or the browser session.

``salesops.api`` lists both as the API's ``auth``; each answers the active user or ``None`` (401).
"""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from .selectors import api_token_find
from .services import api_token_record_use


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>``: a live token (not expired, issued under the user's
    current password) of an active user; each use is recorded."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = api_token_find(raw=token)
        if found is None:
            return None
        api_token_record_use(token=found)
        request.user = found.user
        return found.user


class ActiveSession(SessionAuth):
    """Browser session (with CSRF, as ninja's SessionAuth does) for active users only."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None
