"""Reads of who may get in: API tokens (their user's, or everyone's for the admin role) and the
per-account log-in lock. Writers are in ``services.py``."""

import hashlib
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from salesops.core.errors import NotFound
from salesops.core.selectors import get_in_scope

from .models import ApiToken, LoginFailure, User
from .roles import Role


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_token_find(*, raw: str) -> ApiToken | None:
    """The live token with this raw value (expired, stale or a disabled user's: ``None``)."""
    found = ApiToken.objects.select_related("user").filter(digest=token_digest(raw)).first()
    return found if found is not None and found.is_live(timezone.now()) else None


def _unexpired_tokens(user: User) -> "QuerySet[ApiToken]":
    """Unexpired tokens in the caller's scope: their own; every user's for the admin role."""
    tokens = ApiToken.objects.select_related("user").filter(expires_at__gt=timezone.now())
    return tokens if user.has_role(Role.ADMIN) else tokens.filter(user=user)


def api_token_list(*, user: User) -> list[ApiToken]:
    """Live tokens the caller may see and revoke (``ApiToken.is_live``: not ended by a password
    or role change, nor by a disabled user)."""
    now = timezone.now()
    return [token for token in _unexpired_tokens(user) if token.is_live(now)]


def api_token_get_for(*, user: User, pk: int) -> ApiToken:
    """One live token in the caller's scope, read alone; another user's answers 404 as a missing one does."""
    token = get_in_scope(_unexpired_tokens(user), pk, missing=_("No such token."))
    if not token.is_live(timezone.now()):
        raise NotFound(_("No such token."))
    return token


def login_locked_until(*, username: str, now: datetime | None = None) -> datetime | None:
    """When the per-account lock on ``username`` ends, or ``None`` if it is not locked: locked while
    ACCOUNT_LOCK_FAILURES failures (from any address) fall within the last ACCOUNT_LOCK_MINUTES."""
    now = now or timezone.now()
    window = timedelta(minutes=settings.ACCOUNT_LOCK_MINUTES)
    limit = settings.ACCOUNT_LOCK_FAILURES
    recent = list(
        LoginFailure.objects.filter(username=username, at__gt=now - window)
        .order_by("-at")
        .values_list("at", flat=True)[:limit]
    )
    if len(recent) < limit:
        return None
    return recent[-1] + window


def login_address_known(*, username: str, ip_address: str | None) -> bool:
    """Whether the account logged in successfully from this address within KNOWN_ADDRESS_DAYS
    (django-axes' access log): the per-account lock spares it, so guesses from elsewhere cannot
    keep the user out of their usual desk; that address keeps its own username + address limit."""
    from axes.models import AccessLog

    if not ip_address:
        return False
    since = timezone.now() - timedelta(days=settings.KNOWN_ADDRESS_DAYS)
    return AccessLog.objects.filter(username=username, ip_address=ip_address, attempt_time__gt=since).exists()
