from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class MaximumLengthValidator:
    """Passphrases up to 128 characters are allowed; longer ones are refused (hashing cost)."""

    max_length = 128

    def validate(self, password: str, user: object = None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(_("This password is too long (at most 128 characters)."), code="too_long")

    def get_help_text(self) -> str:
        return _("Your password may be up to 128 characters long.")
