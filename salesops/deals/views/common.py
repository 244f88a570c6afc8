"""What the deals pages share: a button's service call."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from salesops.core.errors import ApplicationError, Forbidden, NotFound


def run_button(request: HttpRequest, call, done: str) -> bool:
    """Call a button's service; its refusal becomes a message (403/404 pages for scope)."""
    try:
        call()
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, done)
    return True
