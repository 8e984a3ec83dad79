"""Selectors own every query shape (docs/code-map.md): the views, forms, admin, feeds,
sitemaps and API build no queryset of their own, they call a selector. Read from the source,
so a filter or an annotation written in a view fails here."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAYERS = (
    "recommendations/views",
    "recommendations/forms",
    "recommendations/admin",
    "public/views",
    "public/api",
    "public/feeds.py",
    "public/sitemaps.py",
    "groups/views.py",
    "groups/forms.py",
    "groups/admin.py",
    "timeline/admin.py",
    "strategy/admin",
)
# What shapes a queryset. `values` and `values_list` count only with arguments: without,
# they are as likely a dict's.
SHAPING = {
    "filter",
    "exclude",
    "annotate",
    "alias",
    "aggregate",
    "select_related",
    "prefetch_related",
    "order_by",
    "distinct",
    "only",
    "defer",
    "extra",
    "raw",
    "values",
    "values_list",
}
# Where a shape stays, and why: (module, function) pairs.
ALLOWED = {
    # An admin list filter applies a selector's rule (a Q) to the changelist it is given.
    ("recommendations/admin/review.py", "DueFilter.queryset"),
    ("recommendations/admin/review.py", "OpenReviewFilter.queryset"),
    ("recommendations/admin/review.py", "GroupFilter.queryset"),
    ("recommendations/admin/synthesis.py", "FateFilter.queryset"),
    # Django's own base queryset, with the rows the inline shows joined (no rule).
    ("recommendations/admin/synthesis.py", "SourceLinkInline.get_queryset"),
    # A page of a selector's rows found by their ids first (public.api.pagination.in_order).
    ("public/views/iterations.py", "iteration_page"),
    ("public/api/pagination.py", "StrictLimitOffsetPagination.paginate_queryset"),
    # Still to move: the reviewer choices (written twice, being made one rule), the
    # notices sent again and counted (the ledger's admin), the groups' next milestones.
    ("strategy/admin/dashboard.py", "dashboard"),
}


def modules():
    for layer in LAYERS:
        path = ROOT / layer
        yield from sorted(path.rglob("*.py")) if path.is_dir() else [path]


def shapes(path: Path) -> list[tuple[str, int, str]]:
    """(function, line, method) of each call that shapes a queryset in the module."""
    found = []

    def visit(node, where):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                visit(child, f"{where}.{child.name}" if where else child.name)
                continue
            if (
                isinstance(child, ast.Call)
                and isinstance(child.func, ast.Attribute)
                and child.func.attr in SHAPING
                and (
                    child.args or child.keywords or child.func.attr not in {"values", "values_list"}
                )
            ):
                found.append((where, child.lineno, child.func.attr))
            visit(child, where)

    visit(ast.parse(path.read_text()), "")
    return found


@pytest.mark.parametrize("path", list(modules()), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_pages_forms_and_admin_leave_query_shapes_to_the_selectors(path):
    name = str(path.relative_to(ROOT))
    built = [
        f"{name}:{line} {where or 'module'} .{method}()"
        for where, line, method in shapes(path)
        if (name, where) not in ALLOWED
    ]
    assert not built, "write these in a selector and call it:\n" + "\n".join(built)


def test_each_place_allowed_still_shapes_a_query():
    """An entry left behind after its query moved would allow a new one there unseen."""
    found = {
        (str(path.relative_to(ROOT)), where) for path in modules() for where, *_ in shapes(path)
    }
    assert not ALLOWED - found, sorted(ALLOWED - found)
