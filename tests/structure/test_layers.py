"""Which way imports go (docs/code-map.md): the kernel imports no app, and no app imports the
public site. Read from the source, so a new import the wrong way fails here."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("groups", "recommendations", "timeline")
# strategy/ is the project and the kernel. The project's top layer may import every app:
# settings, URLs and the ASGI application's routes, the admin dashboard, the management
# commands, accounts (a person's data across the apps) and "needs me" (what waits for a
# person in every app). Everything else in strategy/ is the kernel.
TOP_LAYER = (
    "strategy/settings",
    "strategy/urls.py",
    "strategy/asgi.py",
    "strategy/admin/dashboard.py",
    "strategy/management",
    "strategy/accounts",
    "strategy/needs_me.py",
)


def imported_modules(path: Path) -> set[str]:
    """The full dotted names `path` imports (`from a.b import c` names both a.b and a.b.c,
    since c may be a module)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def imported(path: Path) -> set[str]:
    return {name.split(".")[0] for name in imported_modules(path)}


def top_layer_module(name: str) -> bool:
    as_path = name.replace(".", "/")
    return any(
        as_path == top.removesuffix(".py") or as_path.startswith(top.removesuffix(".py") + "/")
        for top in TOP_LAYER
    )


def modules(folder: str):
    return sorted(
        path
        for path in (ROOT / folder).rglob("*.py")
        if "migrations" not in path.parts and "__pycache__" not in path.parts
    )


def kernel_modules():
    return [
        path
        for path in modules("strategy")
        if not str(path.relative_to(ROOT)).startswith(TOP_LAYER)
    ]


@pytest.mark.parametrize("path", kernel_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_kernel_imports_no_app(path):
    assert not imported(path) & {*APPS, "public"}


@pytest.mark.parametrize(
    "path",
    [path for app in APPS for path in modules(app)],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_no_app_imports_the_public_site(path):
    assert "public" not in imported(path)


@pytest.mark.parametrize(
    "path",
    [path for app in (*APPS, "public") for path in modules(app)],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_no_app_imports_the_top_layer(path):
    """The apps and the public site import the kernel of strategy/, never its top layer
    (which imports them)."""
    assert not {name for name in imported_modules(path) if top_layer_module(name)}


def test_the_top_layer_rule_sees_a_wrong_import():
    assert top_layer_module("strategy.accounts.selectors")
    assert top_layer_module("strategy.urls")
    assert top_layer_module("strategy.admin.dashboard")
    assert top_layer_module("strategy.needs_me")
    assert not top_layer_module("strategy.admin.history")
    assert not top_layer_module("strategy.sessions")


def test_the_public_site_has_no_models():
    assert not (ROOT / "public" / "models.py").exists()
    assert not (ROOT / "public" / "migrations").exists()
