"""The source language is named in one place (MODELTRANSLATION_DEFAULT_LANGUAGE, read
through strategy/source_language.py): no code or template names a source-language column
("title_en") or writes its code into a lang attribute. Read from the source, so a new one
fails here."""

import ast
import re
from pathlib import Path

import pytest
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname

from strategy.source_language import source_language

ROOT = Path(__file__).resolve().parents[2]
CODE = ("groups", "recommendations", "timeline", "public", "strategy", "bench")


def source_columns() -> set[str]:
    return {
        build_localized_fieldname(name, source_language())
        for model in translator.get_registered_models()
        for name in translator.get_options_for_model(model).fields
    }


def python_files():
    return sorted(
        path
        for folder in CODE
        for path in (ROOT / folder).rglob("*.py")
        if "migrations" not in path.parts and "settings" not in path.parts
    )


def templates():
    return sorted(
        path
        for path in [*ROOT.glob("templates/**/*"), *ROOT.glob("*/templates/**/*")]
        if path.suffix in (".html", ".txt") and "node_modules" not in path.parts
    )


def named_columns(path: Path, columns: set[str]) -> list[str]:
    """Where the module names a column: an attribute, a keyword, or a string that is not a
    docstring (a lookup, a serializer's source)."""
    tree = ast.parse(path.read_text())
    docstrings = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }
    words = re.compile(r"\b(" + "|".join(sorted(columns)) + r")\b")
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in columns:
            found.append(f"{path.name}:{node.lineno} .{node.attr}")
        elif isinstance(node, ast.keyword) and node.arg in columns:
            found.append(f"{path.name}:{node.lineno} {node.arg}=")
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and words.search(node.value)
        ):
            found.append(f"{path.name}:{node.lineno} {node.value!r}")
    return found


def test_the_columns_are_found():
    """The test reads modeltranslation's registry: it knows the columns it looks for."""
    assert {"title_en", "name_en", "body_en"} <= source_columns()


@pytest.mark.parametrize("path", python_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_code_names_a_source_language_column(path):
    assert named_columns(path, source_columns()) == []


@pytest.mark.parametrize("path", templates(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_names_the_source_language(path):
    text = path.read_text()
    columns = re.compile(r"\b(" + "|".join(sorted(source_columns())) + r")\b")
    assert columns.findall(text) == []
    assert f'lang="{source_language()}"' not in text


@pytest.mark.parametrize(
    "label", ["recommendations.Iteration", "groups.WorkingGroup", "groups.ThematicArea"]
)
def test_the_admin_makes_slugs_from_the_source_language_name(label):
    """Whatever language the admin is read in (MODELTRANSLATION_PREPOPULATE_LANGUAGE)."""
    from django.apps import apps
    from django.contrib import admin

    from strategy.source_language import source_field

    model_admin = admin.site._registry[apps.get_model(label)]
    assert model_admin.prepopulated_fields == {"slug": (source_field("name"),)}
