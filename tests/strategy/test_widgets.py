"""A date input's value is ISO in every language, so that the browser shows it."""

from datetime import date

import pytest
from django import forms
from django.conf import settings
from django.utils import translation

from strategy.widgets import DayInput


class DayForm(forms.Form):
    day = forms.DateField(initial=date(2026, 12, 10), widget=DayInput())


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_a_date_input_holds_an_iso_value_in_every_language(language):
    """A browser shows a date input whose value is not YYYY-MM-DD as empty: with Django's
    default, Chinese wrote 2026/12/10 and German 10.12.2026 there."""
    with translation.override(language):
        html = str(DayForm()["day"])
    assert 'type="date"' in html
    assert 'value="2026-12-10"' in html


def test_a_date_input_reads_back_what_it_shows():
    with translation.override("zh-hans"):
        form = DayForm({"day": "2026-12-10"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == date(2026, 12, 10)
