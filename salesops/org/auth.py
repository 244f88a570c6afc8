"""How the API knows its caller: a Bearer token issued to a user, or the browser session.

``salesops.api`` lists both as the API's ``auth``; each answers the active user or ``None`` (401).
"""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from .models import ApiToken
from .services import token_digest


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>`` against the stored SHA-256 digest of an ``ApiToken``."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = ApiToken.objects.select_related("user").filter(digest=token_digest(token)).first()
        if found is None or not found.user.is_active:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


class ActiveSession(SessionAuth):
    """Browser session (with CSRF, as ninja's SessionAuth does) for active users only."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None
