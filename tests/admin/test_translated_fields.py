"""The admin's translated fields: each language's input says which language it is."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from groups.models import ThematicArea
from strategy.translation_labels import translated_field_label
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _labels(html: str) -> dict[str, str]:
    return dict(re.findall(r'<label[^>]* for="id_([a-z_]+)">([^<]*)</label>', html))


def test_each_languages_input_is_labelled_with_the_languages_name(client):
    """The probe: six inputs all labelled "Name:" above a bare list of language codes."""
    area = ThematicArea.objects.create(name="Advocacy", slug="advocacy")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    html = client.get(reverse("admin:groups_thematicarea_change", args=[area.pk])).content
    labels = _labels(html.decode())
    assert labels["name_en"] == "Name (English):"
    assert labels["name_zh_hans"] == "Name (Simplified Chinese):"
    assert labels["name_arz"] == "Name (Egyptian Arabic):"
    assert labels["description_fr"] == "Description (French):"
    names = [labels[f"name_{code}"] for code in ("en", "zh_hans", "arz", "de", "fr", "es")]
    assert len(set(names)) == 6


def test_the_language_names_are_in_the_language_the_page_is_shown_in():
    """The label is built when it is shown (modeltranslation calls the builder lazily)."""
    with translation.override("zh-hans"):
        # Chinese puts a parenthesis in full-width brackets.
        assert translated_field_label("name", "en") == "name\uff08英语\uff09"
    assert translated_field_label("name", "zh_hans") == "name (Simplified Chinese)"
