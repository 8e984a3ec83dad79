"""Form widgets the apps share."""

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext


def _attributes(attrs: dict) -> str:
    """`attrs` as Django's attrs.html writes them, in their order: True as a bare name,
    False left out."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


class SearchableSelectMultiple(forms.SelectMultiple):
    """A plain <select multiple> (Ctrl-click to choose several: it works without
    JavaScript) that static/js/multichoice.js turns into a search box over the options,
    with the chosen ones as removable chips above it. The script's words are given here, in
    the page's language, as data attributes: the script itself holds no text.

    Options in <optgroup>s are searched by their group's label too."""

    class Media:
        js = [forms.Script("js/multichoice.js", defer=True)]

    def __init__(self, attrs=None, choices=()):
        super().__init__({"size": 10, **(attrs or {})}, choices)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # Said at render time, in the language of the request. "%(choice)s" and "%(count)s"
        # are filled in by the script.
        context["widget"]["attrs"].update(
            {
                "data-multichoice": "",
                "data-hint": gettext(
                    "Type part of a group, number or title to filter; press Enter or click "
                    "to choose, and again to remove."
                ),
                "data-chosen": gettext("Chosen"),
                "data-none": gettext("None chosen yet."),
                "data-remove": gettext("Remove %(choice)s"),
                "data-added": gettext("Chosen: %(choice)s"),
                "data-removed": gettext("Removed: %(choice)s"),
                "data-count": gettext("Matching: %(count)s"),
                "data-empty": gettext("Nothing matches."),
            }
        )
        return context

    def render(self, name, value, attrs=None, renderer=None):
        """The HTML Django's select.html template writes, written here: the template
        includes a template per option, a second for each of 10,000 recommendations."""
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group_name, options, _index in widget["optgroups"]:
            listed = format_html_join(
                "",
                '\n  <option value="{}"{}>{}</option>',
                ((str(o["value"]), _attributes(o["attrs"]), o["label"]) for o in options),
            )
            if group_name:
                listed = format_html(
                    '\n  <optgroup label="{}">{}\n  </optgroup>', group_name, listed
                )
            parts.append(listed)
        return format_html(
            '<select name="{}"{}>{}\n</select>',
            widget["name"],
            _attributes(widget["attrs"]),
            mark_safe("".join(parts)),  # noqa: S308 (each part is escaped above)
        )


class DayInput(forms.DateInput):
    """A browser's date picker. Its value is always ISO 8601 (YYYY-MM-DD), whatever the
    page's language: HTML requires it, and a browser shows a value in another format (the
    Chinese "2026/12/10", the German "10.12.2026") as an empty field. The browser shows the
    day to the person in its own format."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")
