"""Log-in locks. django-axes locks a username + address (five failures, one hour); that does
nothing against guesses spread over many addresses, so ``AccountLockBackend`` also counts
failures per account from any address and locks it briefly (issue 7, item 8). Brief, so that
a colleague typing someone's name cannot keep them out for long, and it spares the addresses
the user logged in from lately (their own desk); an admin lifts it at once (user list in the
admin site). What a locked-out caller gets: JSON for the API, the lockout page for the browser.
"""

from axes.helpers import get_client_ip_address
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .selectors import login_address_known, login_locked_until
from .services import login_failure_record

ACCOUNT_LOCKED = "account_locked"


class AccountLockBackend(ModelBackend):
    """Django's ModelBackend, refusing a locked account before the password is checked and
    counting each failure against the account."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None or "\x00" in username:
            return None  # a NUL cannot name an account, and PostgreSQL refuses it in a query
        address = get_client_ip_address(request) if request is not None else None
        locked = login_locked_until(username=username) is not None
        if locked and not login_address_known(username=username, ip_address=address):
            _mark_locked(request)
            raise PermissionDenied  # stops the other backends; Django reports a failed log-in
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if (
            user is None
            and login_failure_record(username=username, ip_address=address, was_locked=locked)
            and not locked
        ):
            _mark_locked(request)
        return user

    def get_user(self, user_id):
        """The signed-in user as each request loads them: with their branch and department, and
        their roles, which nearly every page and service asks for (two statements in all)."""
        users = get_user_model()._default_manager.select_related("branch", "department")
        user = users.prefetch_related("role_links").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None


def _mark_locked(request) -> None:
    if request is not None:
        setattr(request, ACCOUNT_LOCKED, True)


def account_locked_message() -> str:
    return _("Too many failed log-ins for this account: try again in a few minutes, or ask an administrator.")


def lockout_response(request, *args, **kwargs):
    message = _("Too many failed log-ins: this account is locked for one hour from this address.")
    if request.path.startswith("/api/"):
        return JsonResponse({"message": message, "code": "locked", "extra": {}}, status=429)
    return render(request, "registration/locked_out.html", {"message": message}, status=429)


def account_lockout_response(request):
    """The browser's answer to a per-account lock (the API raises ``Locked`` with the same message)."""
    return render(
        request, "registration/locked_out.html", {"message": account_locked_message(), "account": True}, status=429
    )
