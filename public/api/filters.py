import django_filters


class StrictFilterSet(django_filters.FilterSet):
    """API filters that refuse a parameter given with no value (?kind=), rather than read
    it as absent: what the OpenAPI schema declares is what the API accepts."""

    def is_valid(self):
        valid = super().is_valid()
        for name in self.filters:
            if name in self.data and self.data.get(name) == "":
                self.form.add_error(name, "Give a value, or leave the parameter out.")
                valid = False
        return valid
