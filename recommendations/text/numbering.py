"""How recommendation numbers sort: as people read them (1, 2, 6A, 10, then letters), not as
text (1, 10, 2). One ordering for every list that sorts by number: `number_order` makes the
key each recommendation stores beside its number (Recommendation.save), `by_number` sorts by
it, on every database, without computing it per row."""

import re

from django.db.models import F, OrderBy

LEADING_DIGITS = re.compile(r"^[0-9]+")
# Numbers are at most 10 characters (Recommendation.number), so is their leading integer.
DIGITS = 10


def number_order(number: str) -> str:
    """The sort key of a recommendation number: its leading integer, zero-padded, then the
    rest as text (6 before 6A before 6B); numbers without one (a letter) after all those
    with one."""
    leading = LEADING_DIGITS.match(number)
    if leading is None:
        return "1" + number
    return "0" + leading.group().rjust(DIGITS, "0") + number[leading.end() :]


def by_number(field: str = "number") -> list[OrderBy]:
    """order_by() terms for the recommendation number at `field` (a path such as
    "synthesized__number"): its stored key (number_order), then the whole as a tie-break."""
    return [F(f"{field}_order").asc(), F(field).asc()]
