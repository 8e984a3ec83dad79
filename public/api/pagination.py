from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination


def in_order(queryset, ids) -> list:
    """The rows of `queryset` with these ids, in the order of `ids`.

    Paging in two steps, the ids of a page first and then this, sorts only the columns the
    order needs rather than whole rows: a deep page costs about what the first does."""
    ids = list(ids)
    found = queryset.in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


class StrictLimitOffsetPagination(LimitOffsetPagination):
    """Limit/offset paging that refuses a value that is not a number (400), where the
    default would quietly ignore it; it reads the page's ids first (see in_order)."""

    max_limit = 500

    def paginate_queryset(self, queryset, request, view=None):
        ids = super().paginate_queryset(queryset.values_list("pk", flat=True), request, view)
        return None if ids is None else in_order(queryset, ids)

    def paginate_listing(self, found, request, **rows) -> list:
        """The items of a page of a public listing.Listing, counted and paged as it keeps
        them: what `found.rows(**rows)` gives for the page."""
        self.request = request
        self.limit = self.get_limit(request)
        self.offset = self.get_offset(request)
        self.count = found.count()
        if self.count == 0 or self.offset > self.count:
            return []
        page = found.rows(start=self.offset, stop=self.offset + self.limit, **rows)
        return [item for _pk, item in page]

    def _number(self, request, name):
        value = request.query_params.get(name)
        if value is None:
            return None
        # Digits 0-9 only: int() would also take "٣", " 3" and "3_000".
        if value.startswith("-") and value[1:].isascii() and value[1:].isdigit():
            raise ValidationError({name: "Must be 0 or more."})
        if not (value.isascii() and value.isdigit()):
            raise ValidationError({name: "A whole number is required."})
        return int(value)

    def get_limit(self, request):
        limit = self._number(request, self.limit_query_param)
        if limit is None:
            return self.default_limit
        return min(limit, self.max_limit) if limit else self.default_limit

    def get_offset(self, request):
        return self._number(request, self.offset_query_param) or 0
