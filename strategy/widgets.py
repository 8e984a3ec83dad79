"""Form widgets the apps share."""

from django import forms


class DayInput(forms.DateInput):
    """A browser's date picker. Its value is always ISO 8601 (YYYY-MM-DD), whatever the
    page's language: HTML requires it, and a browser shows a value in another format (the
    Chinese "2026/12/10", the German "10.12.2026") as an empty field. The browser shows the
    day to the person in its own format."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")
