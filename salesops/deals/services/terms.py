"""Writer of the company's standard terms (标准商务条款), R4: the admin edits them; quotations whose
warranty, delivery time or other terms differ from them are non-standard from their next write on.
"""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from salesops.core.errors import InvalidInput
from salesops.core.policy import require
from salesops.org.models import User
from salesops.org.roles import Role
from salesops.workflow.masterdata import save_edit

from ..models import StandardTerms


@transaction.atomic
def standard_terms_update(*, actor: User, **fields: Any) -> StandardTerms:
    """Set the standard warranty, delivery time and other terms (an empty one sets no standard); the
    edit is audited with what changed."""
    require(actor, Role.ADMIN)
    unknown = sorted(set(fields) - set(StandardTerms.CHECKED_FIELDS))
    if unknown:
        raise InvalidInput(
            _("These fields cannot be changed."), fields={name: [_("Not editable.")] for name in unknown}
        )
    terms = StandardTerms.objects.select_for_update().filter(pk=StandardTerms.objects.current().pk).get()
    values = {name: (value or "").strip() for name, value in fields.items()}
    return save_edit(terms, values, actor=actor)
