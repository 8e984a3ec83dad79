"""How recommendation numbers sort: as people read them (1, 2, 6A, 10, then letters), not as
text (1, 10, 2). One ordering, computed by the database, for every list that sorts by number."""

from django.db.models import BigIntegerField, F, Func, OrderBy, Value
from django.db.models.functions import Cast

LEADING_DIGITS = r"^[0-9]+"


def by_number(field: str = "number") -> list[OrderBy]:
    """order_by() terms for the recommendation number at `field` (a path such as
    "synthesized__number"): its leading integer (numbers without one, such as a letter,
    last), then the rest as text (6 before 6A before 6B), then the whole as a tie-break."""
    leading = Cast(Func(F(field), Value(LEADING_DIGITS), function="substring"), BigIntegerField())
    rest = Func(F(field), Value(LEADING_DIGITS), Value(""), function="regexp_replace")
    return [leading.asc(nulls_last=True), rest.asc(), F(field).asc()]
