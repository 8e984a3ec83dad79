"""What a database id, or a position counted from 1, may be: one rule for paths, query
parameters and forms.

A 25-digit number in an address or a form reaches the database as a value no integer
column holds, and the database answers with an error (a 500). Anything larger than the
largest id (a 64-bit integer) is refused before: not found in a path, a form error in a
form.
"""

from django import forms

# The largest value of a BigAutoField, the widest integer column the project has.
MAX_ID = 2**63 - 1


class IdConverter:
    """<id:pk> in the url files: digits that fit in an id column; any other number matches
    no pattern, so the address is a 404."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError(value)
        return number

    def to_url(self, value) -> str:
        return str(value)


def id_or_none(value) -> int | None:
    """A query parameter as an id (or position) from 1 to MAX_ID, or None if it is not one."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= MAX_ID else None


class IdField(forms.IntegerField):
    """A form field for an id or a position: from 1 to MAX_ID, else a form error."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)
