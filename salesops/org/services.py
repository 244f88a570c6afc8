"""Changes to staff and roles. Changing roles or disabling ends the user's sessions and tokens."""

import hashlib
import secrets
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from salesops.core.errors import InvalidInput
from salesops.core.policy import require

from .models import ApiToken, User, UserRole
from .roles import Role


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_issue(*, user: User) -> str:
    """Issue a new API token for an authenticated user and return the raw value (shown once)."""
    raw = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, digest=token_digest(raw))
    return raw


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
