"""Refusing common passwords when they are made long enough to pass the length rule.

Django's bundled list holds the 20,000 passwords most common in breaches, but only 190 of
them have the 12 characters the site asks for. The common way to reach 12 is to pad a
common password with digits or symbols, or to type it twice ("Password123!",
"letmein12345", "passwordpassword"): those are refused too, against the same list.
"""

import re

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

# Digits, punctuation and spaces at either end of a password.
PADDING = re.compile(r"^[\W\d_]+|[\W\d_]+$")
# A core shorter than this is no word the list could mean ("a" in "a12345678901").
SHORTEST_CORE = 4


def password_cores(password: str) -> set[str]:
    """What the list could hold of the password: lowercased, said once, without padding."""
    said = password.lower().strip()
    half = len(said) // 2
    if len(said) % 2 == 0 and said[:half] == said[half:]:
        said = said[:half]
    cores = {said, PADDING.sub("", said)}
    return {core for core in cores if len(core) >= SHORTEST_CORE}


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    """Django's validator, with the list also matched against the password's cores."""

    def validate(self, password, user=None):
        super().validate(password, user)
        if password_cores(password) & self.passwords:
            raise ValidationError(self.get_error_message(), code="password_too_common")
