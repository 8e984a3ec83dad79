"""What a database id, or a position counted from 1, may be: one rule for paths and the
selectors that take a position.

A 25-digit number in an address reaches the database as a value no integer column holds,
and the database answers with an error (a 500). Anything larger than the largest id (a
64-bit integer) is refused before: not found.
"""

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
