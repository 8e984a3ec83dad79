from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination


class StrictLimitOffsetPagination(LimitOffsetPagination):
    """Limit/offset paging that refuses a value that is not a number (400), where the
    default would quietly ignore it."""

    max_limit = 500

    def _number(self, request, name):
        value = request.query_params.get(name)
        if value is None:
            return None
        try:
            number = int(value)
        except ValueError as error:
            raise ValidationError({name: "A whole number is required."}) from error
        if number < 0:
            raise ValidationError({name: "Must be 0 or more."})
        return number

    def get_limit(self, request):
        limit = self._number(request, self.limit_query_param)
        if limit is None:
            return self.default_limit
        return min(limit, self.max_limit) if limit else self.default_limit

    def get_offset(self, request):
        return self._number(request, self.offset_query_param) or 0
