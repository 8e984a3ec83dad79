from django import template
from django.utils.html import format_html
from django.utils.translation import get_language_info

from strategy.source_language import source_language

register = template.Library()


@register.simple_tag
def source_language_attrs():
    """lang and dir for text shown as written, in the source language (untranslated text,
    a diff of the source): `lang="en" dir="ltr"`."""
    code = source_language()
    direction = "rtl" if get_language_info(code)["bidi"] else "ltr"
    return format_html('lang="{}" dir="{}"', code, direction)
