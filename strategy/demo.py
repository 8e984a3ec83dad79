"""What the apps' demo loaders share."""

from modeltranslation.utils import build_localized_fieldname


def translated_fields(field: str, values: dict[str, str]) -> dict[str, str]:
    """{"en": "Advocacy", "zh-hans": "倡导"} for `name` as {"name_en": ..., "name_zh_hans": ...}."""
    return {build_localized_fieldname(field, code): text for code, text in values.items()}
