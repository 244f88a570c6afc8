"""The unified social credit code (统一社会信用代码, GB 32100-2015): the buyer's taxpayer id on a 数电
invoice, 18 characters whose last one is a check character.

People paste it from a business licence or a chat, with spaces, hyphens, lower case or full-width
characters; it is stored compact and upper case, so every door (form, API, import, admin) stores
one spelling, and it is refused unless its check character is right (python-stdnum's
``stdnum.cn.uscc``): a mistyped code would put a wrong buyer on an invoice that cannot be edited.
"""

import unicodedata
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidLength
from stdnum.exceptions import ValidationError as NumberError

LENGTH = 18


def normalise(value: Any) -> Any:
    """Half-width (NFKC), without any space or hyphen, upper case; anything not text as it is."""
    if not isinstance(value, str):
        return value
    return "".join(unicodedata.normalize("NFKC", value).split()).replace("-", "").upper()


def validate_uscc(value: str) -> None:
    """Refuse a code of the wrong length, with a character the standard does not use, or whose
    check character does not match, each with its own reason."""
    try:
        uscc.validate(value)
    except InvalidLength as exc:
        raise ValidationError(_("A unified social credit code has 18 characters."), code="uscc_length") from exc
    except InvalidChecksum as exc:
        raise ValidationError(
            _("The last character (the check character) does not match: compare the code with the business licence."),
            code="uscc_checksum",
        ) from exc
    except NumberError as exc:
        raise ValidationError(
            _("The first 8 characters are digits; the others digits or capital letters other than I, O, S, V and Z."),
            code="uscc_format",
        ) from exc


class USCCFormField(forms.CharField):
    """Normalises before the length check, and lets a browser take a pasted code with spaces."""

    def to_python(self, value: Any) -> Any:
        return normalise(super().to_python(value))

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        attrs.setdefault("autocapitalize", "characters")
        attrs.setdefault("spellcheck", "false")
        return attrs


class USCCField(models.CharField):
    """A unified social credit code column: normalised on validation (``full_clean``), check
    character verified; blank allowed (not every customer has given it yet)."""

    default_validators = [validate_uscc]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", LENGTH)
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> Any:
        return normalise(super().to_python(value))

    def formfield(self, **kwargs: Any) -> Any:
        return super().formfield(**{"form_class": USCCFormField, **kwargs})
