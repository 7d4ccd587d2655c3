"""Password checks whose messages the platform's own catalogues translate."""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's check, with its message in the platform's catalogues: Django's Arabic catalogue
    still holds the message as an earlier Django worded it, so Arabic readers got English."""

    def get_error_message(self):
        return (
            ngettext(
                "This password is too short. It must contain at least %d character.",
                "This password is too short. It must contain at least %d characters.",
                self.min_length,
            )
            % self.min_length
        )
