"""docs/walk.md stays true to the tree: every screenshot it shows is committed and taken by
its browser test, and every test it names exists."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "walk.md"
SCREENSHOTS = ROOT / "docs" / "screenshots" / "walk"
WALK_TEST = ROOT / "tests" / "browser" / "test_walk_screenshots.py"


def _test_functions(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
    }


def test_every_screenshot_shown_is_committed_and_taken_by_the_walk_test():
    text = DOC.read_text()
    shown = set(re.findall(r"\(screenshots/walk/([\w-]+)\.png\)", text))
    committed = {path.stem for path in SCREENSHOTS.glob("*.png")}
    taken = set(re.findall(r'"(\d\d-[\w-]+)"', WALK_TEST.read_text()))
    assert shown == committed
    assert shown == taken
    # Small enough to keep in the repository.
    assert sum(path.stat().st_size for path in SCREENSHOTS.glob("*.png")) < 4_000_000


def test_every_test_named_exists():
    """A test is named as `tests/<path>.py::test_name`, or as `tests/<path>.py (`test_a`,
    `test_b`)`: each exists in its file."""
    text = DOC.read_text()
    missing = []
    for match in re.finditer(r"`(tests/[\w/]+\.py)(?:::(test_\w+)`|` \(([^)]*)\))", text):
        path = ROOT / match[1]
        assert path.exists(), match[1]
        names = [match[2]] if match[2] else re.findall(r"`(test_\w+)`", match[3])
        assert names, match[0]
        defined = _test_functions(path)
        missing += [f"{match[1]}::{name}" for name in names if name not in defined]
    assert missing == []
