"""Fragments are kept under the content they were made from: the same parts read what was
kept, other parts compute anew, and a batch computes only what is missing."""

from strategy import fragments


def test_kept_computes_once_for_the_same_parts_and_again_for_others():
    calls = []

    def compute():
        calls.append(1)
        return f"value {len(calls)}"

    assert fragments.kept("row", (1, 7, "en"), compute) == "value 1"
    assert fragments.kept("row", (1, 7, "en"), compute) == "value 1"
    assert fragments.kept("row", (1, 8, "en"), compute) == "value 2"
    assert fragments.kept("row", (1, 7, "de"), compute) == "value 3"
    assert fragments.kept("other", (1, 7, "en"), compute) == "value 4"


def test_kept_many_computes_only_the_missing_items_in_one_call():
    asked = []

    def compute(items):
        asked.append(sorted(items))
        return {item: f"row {item}" for item in items}

    assert fragments.kept_many("row", {1: (1, "a"), 2: (2, "a")}, compute) == {
        1: "row 1",
        2: "row 2",
    }
    found = fragments.kept_many("row", {1: (1, "a"), 2: (2, "b"), 3: (3, "a")}, compute)
    assert found == {1: "row 1", 2: "row 2", 3: "row 3"}
    assert asked == [[1, 2], [2, 3]]


def test_forget_drops_everything_kept():
    fragments.kept("row", (1,), lambda: "first")
    fragments.forget()
    assert fragments.kept("row", (1,), lambda: "second") == "second"
