"""One error family for every service: views, the API and the CLI map it to answers.

The message is for people (translated); ``code`` is for programs; ``extra``
carries field errors as ``{field: [message, ...]}``.
"""

import contextlib
from collections.abc import Iterator
from typing import Any


class ApplicationError(Exception):
    status = 400
    code = "error"

    def __init__(self, message: Any, *, extra: dict[str, Any] | None = None, code: str | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.extra = extra or {}
        if code:
            self.code = code

    def as_dict(self) -> dict[str, Any]:
        return {"message": self.message, "code": self.code, "extra": self.extra}


class NotFound(ApplicationError):
    """Also used for objects outside the actor's scope: their existence is not revealed."""

    status = 404
    code = "not_found"


class Forbidden(ApplicationError):
    status = 403
    code = "forbidden"


class InvalidInput(ApplicationError):
    """Bad input; ``extra['fields']`` names each bad field and why."""

    status = 422
    code = "invalid"

    def __init__(self, message: Any, *, fields: dict[str, list[str]] | None = None, **kwargs: Any):
        super().__init__(message, extra={"fields": {k: [str(m) for m in v] for k, v in (fields or {}).items()}})


class TransitionNotAllowed(ApplicationError):
    status = 409
    code = "transition_not_allowed"


class StaleEdit(ApplicationError):
    """Somebody saved the document after this editor loaded it (version column)."""

    status = 409
    code = "stale"


@contextlib.contextmanager
def field_errors() -> Iterator[None]:
    """Turn Django's ValidationError (``full_clean``, model ``clean``) into InvalidInput (422)
    naming each field; a whole-object error becomes the message."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    try:
        yield
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        general = errors.pop("__all__", [])
        raise InvalidInput(general[0] if general else _("Please correct the errors below."), fields=errors) from exc


def validate(obj: Any, *, exclude: list[str] | None = None) -> None:
    """``obj.full_clean()`` with its errors as one InvalidInput.

    ``full_clean`` skips a blank-allowed field whose value is None, so an API client sending
    ``null`` for a text field would reach the database's NOT NULL; that is refused here too.
    """
    from django.utils.translation import gettext as _

    skipped = set(exclude or ())
    nulls = {
        field.name: [_("This field cannot be null.")]
        for field in obj._meta.concrete_fields
        if field.name not in skipped
        and not field.null
        and not field.primary_key
        and not getattr(field, "auto_now", False)
        and not getattr(field, "auto_now_add", False)
        and getattr(obj, field.attname) is None
    }
    if nulls:
        raise InvalidInput(_("Please correct the errors below."), fields=nulls)
    with field_errors():
        obj.full_clean(exclude=exclude)
