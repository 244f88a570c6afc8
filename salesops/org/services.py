"""Changes to staff, roles, API tokens and log-in locks.

Changing roles or disabling ends the user's sessions and tokens; a password change makes the
tokens stale (``ApiToken.user_stamp``).
"""

import datetime
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from salesops.core.errors import InvalidInput, NotFound
from salesops.core.policy import require

from .models import ApiToken, CalendarOverride, CalendarYear, LoginFailure, User, UserRole
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


# A token's last use is kept to the minute: a busy client writes once a minute, not on every
# request (on SQLite every write waits for the one writer).
TOKEN_USE_RESOLUTION = timedelta(minutes=1)


@transaction.atomic
def api_token_record_use(*, token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < TOKEN_USE_RESOLUTION:
        return
    token.last_used_at = now
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)


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


@dataclass(frozen=True)
class CalendarDay:
    day: datetime.date
    note: str


@transaction.atomic
def calendar_year_enter(
    *, actor: User, year: int, holidays: list[CalendarDay], workdays: list[CalendarDay], source: str = ""
) -> CalendarYear:
    """Enter a year's official holiday arrangement in one go: its holidays and its make-up working
    days (调休) become overrides, and the year is no longer provisional. Deadlines are derived from
    the calendar when read, so every open one follows at once. Entering a year again replaces the
    overrides it wrote before; the company's own overrides of other days stay."""
    require(actor, Role.ADMIN)
    # A day written twice (overlapping ranges) is one day, with its first note.
    holidays = list({d.day: d for d in reversed(holidays)}.values())[::-1]
    workdays = list({d.day: d for d in reversed(workdays)}.values())[::-1]
    errors: dict[str, list[str]] = {}
    for name, days in (("holidays", holidays), ("workdays", workdays)):
        outside = [d.day.isoformat() for d in days if d.day.year != year]
        if outside:
            errors[name] = [_("Not in %(year)s: %(days)s") % {"year": year, "days": ", ".join(outside)}]
    both = {d.day for d in holidays} & {d.day for d in workdays}
    if both:
        errors["workdays"] = [
            _("Both a holiday and a working day: %(days)s") % {"days": ", ".join(sorted(d.isoformat() for d in both))}
        ]
    if not holidays:
        errors.setdefault("holidays", [_("Enter the year's holidays.")])
    if errors:
        raise InvalidInput(_("The arrangement has errors; nothing was saved."), fields=errors)
    entered = CalendarYear.objects.filter(year=year).first()
    if entered is not None:
        CalendarOverride.objects.filter(day__year=year, from_arrangement=True).delete()
    CalendarOverride.objects.filter(day__in=[d.day for d in (*holidays, *workdays)]).delete()
    CalendarOverride.objects.bulk_create(
        [CalendarOverride(day=d.day, is_workday=False, note=d.note[:200], from_arrangement=True) for d in holidays]
        + [CalendarOverride(day=d.day, is_workday=True, note=d.note[:200], from_arrangement=True) for d in workdays]
    )
    if entered is None:
        entered = CalendarYear.objects.create(year=year, entered_by=actor, source=source[:200])
    else:
        entered.entered_by, entered.entered_at, entered.source = actor, timezone.now(), source[:200]
        entered.save(update_fields=["entered_by", "entered_at", "source"])
    security_log.warning(
        "holiday arrangement of %s entered by %s: %d holidays, %d make-up working days (%s)",
        year,
        actor.username,
        len(holidays),
        len(workdays),
        source,
    )
    return entered
