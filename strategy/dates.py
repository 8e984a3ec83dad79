"""Dates and times as people read them: in the active language's own format (Django's locale
formats: DATE_FORMAT, DATETIME_FORMAT), times in the site's zone. Templates say the same
with `|date:"DATE_FORMAT"` and `|date:"DATETIME_FORMAT"` (tests/timeline/test_dates.py);
this is for text composed in Python. ISO 8601 is for machines only: datetime="" attributes,
date inputs, exports, the API, keys."""

from datetime import date, datetime

from django.utils.formats import date_format
from django.utils.timezone import is_aware, localtime
from django.utils.translation import gettext


def moment(value: datetime) -> str:
    """A date and time as people read it: "Dec. 1, 2026, 4:04 p.m." in English."""
    return date_format(localtime(value) if is_aware(value) else value, "DATETIME_FORMAT")


def readable(value):
    """`value` as people read it if it is a date or a time; anything else as it is."""
    if isinstance(value, datetime):
        return moment(value)
    if isinstance(value, date):
        return date_format(value, "DATE_FORMAT")
    return value


def name_history_records(model) -> None:
    """Name each historical record of `model` (simple-history's) with its time as people
    read it, "1. Transparency as of Dec. 1, 2026, 4:04 p.m.", instead of "... as of
    2026-12-01 15:57:46.158582+00:00": the admin shows the name wherever a record points
    at one (a version's revision, the revision that incorporated a thread)."""

    def __str__(record):
        return gettext("%(object)s as of %(moment)s") % {
            "object": record.history_object,
            "moment": moment(record.history_date),
        }

    model.history.model.__str__ = __str__
