"""Changes to staff, roles, API tokens and log-in locks.

Changing roles or disabling ends the user's sessions and tokens; a password change makes the
tokens stale (``ApiToken.user_stamp``).
"""

import logging
import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from salesops.core.errors import InvalidInput, NotFound
from salesops.core.policy import require

from .models import ApiToken, LoginFailure, User, UserRole
from .roles import Role
from .selectors import login_locked_until, token_digest

security_log = logging.getLogger("salesops.security")


@transaction.atomic
def api_token_issue(*, user: User) -> str:
    """Issue a new API token for an authenticated user and return the raw value (shown once).

    It expires after API_TOKEN_DAYS and is bound to the user's current password and stamp."""
    raw = secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user,
        digest=token_digest(raw),
        prefix=raw[:6],
        user_stamp=user.get_session_auth_hash(),
        expires_at=timezone.now() + timedelta(days=settings.API_TOKEN_DAYS),
    )
    return raw


@transaction.atomic
def api_token_record_use(*, token: ApiToken) -> None:
    token.last_used_at = timezone.now()
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=token.last_used_at)


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User) -> None:
    """Revoke a token: its own user or the admin role may; anyone else is told it does not exist."""
    if token.user_id != actor.pk and not actor.has_role(Role.ADMIN):
        raise NotFound(_("No such token."))
    ApiToken.objects.filter(pk=token.pk).delete()
    security_log.info("api token %s… of %s revoked by %s", token.prefix, token.user.username, actor.username)


@transaction.atomic
def login_failure_record(*, username: str, ip_address: str | None, was_locked: bool | None = None) -> bool:
    """Count a failed log-in for the account; ``True`` when the account is locked after it. The
    failure that starts a lock is logged with the username and the address. ``was_locked``: whether
    the account was locked before this failure, when the caller has just read it."""
    username = username[:150]
    if was_locked is None:
        was_locked = login_locked_until(username=username) is not None
    LoginFailure.objects.create(username=username, ip_address=ip_address)
    until = login_locked_until(username=username)
    if until is None or was_locked:
        return until is not None
    security_log.warning(
        "account locked across addresses: username=%s address=%s until=%s (%d failures in %d min)",
        username,
        ip_address,
        until.isoformat(),
        settings.ACCOUNT_LOCK_FAILURES,
        settings.ACCOUNT_LOCK_MINUTES,
    )
    return True


@transaction.atomic
def login_lock_lift(*, username: str, actor: User) -> int:
    """The admin lifts every lock on an account: the per-account failures and django-axes'
    username + address records. Returns how many records went."""
    from axes.utils import reset

    require(actor, Role.ADMIN)
    failures, _deleted = LoginFailure.objects.filter(username=username).delete()
    attempts = reset(username=username)
    security_log.warning("log-in lock on %s lifted by %s", username, actor.username)
    return failures + attempts


@transaction.atomic
def user_set_roles(*, user: User, roles: Iterable[str], actor: User) -> User:
    require(actor, Role.ADMIN)
    wanted = set(roles)
    unknown = wanted - set(Role.values)
    if unknown:
        raise InvalidInput(_("Unknown role."), fields={"roles": [", ".join(sorted(unknown))]})
    current = set(user.role_links.values_list("role", flat=True))
    if wanted != current:
        UserRole.objects.filter(user=user).exclude(role__in=wanted).delete()
        UserRole.objects.bulk_create([UserRole(user=user, role=r) for r in wanted - current])
        _end_sessions(user)
    user.__dict__.pop("roles", None)
    return user


@transaction.atomic
def user_disable(*, user: User, actor: User) -> User:
    require(actor, Role.ADMIN)
    user.is_active = False
    _end_sessions(user)
    return user


def _end_sessions(user: User) -> None:
    user.rotate_security_stamp()
    user.save(update_fields=["security_stamp", "is_active"])
    ApiToken.objects.filter(user=user).delete()
