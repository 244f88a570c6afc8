"""Writer of the company's delivery settings (R10's archiving days, the days a customer's
confirmation is expected within): the admin edits them, audited with what changed."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from salesops.core.errors import InvalidInput
from salesops.core.policy import require
from salesops.org.models import User
from salesops.org.roles import Role
from salesops.workflow.masterdata import save_edit

from ..models import FulfilmentSettings

SETTINGS_FIELDS = ("archive_working_days", "confirmation_working_days")
MAX_WORKING_DAYS = 60


@transaction.atomic
def settings_update(*, actor: User, **fields: Any) -> FulfilmentSettings:
    """Set the working days of R10 and of the confirmation list (each 0..60)."""
    require(actor, Role.ADMIN)
    errors: dict[str, list[str]] = {}
    for name in sorted(set(fields) - set(SETTINGS_FIELDS)):
        errors[name] = [_("Not editable.")]
    for name in SETTINGS_FIELDS:
        value = fields.get(name)
        if name in fields and not (isinstance(value, int) and 0 <= value <= MAX_WORKING_DAYS):
            errors[name] = [_("A whole number of working days from 0 to 60.")]
    if errors:
        raise InvalidInput(_("Please correct the errors below."), fields=errors)
    current = FulfilmentSettings.objects.select_for_update().filter(pk=FulfilmentSettings.current().pk).get()
    return save_edit(current, dict(fields), actor=actor)
