"""How fast a word-level diff of two 50 KB bodies is, against rendering one of them as
markdown (what every recommendation page already does), in the same process; and the
worst cases anyone can ask the public compare page for, at 8, 40 and 200 KB: repeated
words swapped ("a b a b ..." against "b a b a ...", a minute at 40 KB with difflib) and two
unrelated texts (where the diff stops at its deadline and shows paragraphs).

    make bench-diff      (or: .venv/bin/python bench/diff_speed.py)
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategy.settings.local")

import django

django.setup()

from recommendations.text.diffing import compare, diff_html, merge_three_way  # noqa: E402
from recommendations.text.markdown import render_markdown  # noqa: E402

WORDS = [
    "movement",
    "community",
    "knowledge",
    "equity",
    "partners",
    "resources",
    "governance",
    "volunteers",
    "affiliates",
    "languages",
    "projects",
    "contributors",
    "platform",
    "research",
    "conversations",
    "recommendation",
    "structure",
    "support",
    "capacity",
    "leadership",
    "decisions",
    "transparency",
]


def body(rng: random.Random, size: int) -> str:
    paragraphs, length = [], 0
    while length < size:
        sentence_count = rng.randint(3, 7)
        paragraph = " ".join(
            " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20))).capitalize() + "."
            for _ in range(sentence_count)
        )
        paragraphs.append(paragraph)
        length += len(paragraph) + 2
    return "\n\n".join(paragraphs)[:size]


def edited(rng: random.Random, text: str, edits: int) -> str:
    words = text.split(" ")
    for _ in range(edits):
        position = rng.randrange(len(words))
        action = rng.choice(("replace", "insert", "delete"))
        if action == "replace":
            words[position] = rng.choice(WORDS)
        elif action == "insert":
            words.insert(position, rng.choice(WORDS))
        else:
            del words[position]
    return " ".join(words)


def timed(function, *args, repeat: int = 15) -> float:
    function(*args)  # warm up
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function(*args)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    rng = random.Random(2019)
    old = body(rng, 50 * 1024)
    rows = []
    baseline = timed(render_markdown, old)
    rows.append(("render 50 KB as markdown (baseline)", baseline))
    for edits in (10, 100, 1000):
        new = edited(rng, old, edits)
        rows.append((f"diff 50 KB, {edits} word edits", timed(diff_html, old, new)))
    theirs, yours = edited(rng, old, 50), edited(rng, old, 50)
    rows.append(
        (
            "three-way merge 50 KB, 50 + 50 edits",
            timed(lambda: merge_three_way(old, theirs, yours, their_label="a", your_label="b")),
        )
    )
    print(f"{'operation':45} {'median ms':>10} {'x baseline':>11}")
    for name, seconds in rows:
        print(f"{name:45} {seconds * 1000:10.1f} {seconds / baseline:11.2f}")
    print()
    worst_cases(rng)


def worst_cases(rng: random.Random) -> None:
    print(f"{'worst case':45} {'median ms':>10} {'markdown ms':>12} {'by paragraph':>13}")
    for kb in (8, 40, 200):
        size = kb * 1024
        swapped = ("a b " * (size // 4), "b a " * (size // 4))
        unrelated = (body(rng, size), body(rng, size))
        for name, (old, new) in (("repeated words swapped", swapped), ("unrelated", unrelated)):
            markdown = timed(render_markdown, new, repeat=5)
            results = []
            seconds = timed(_compare_into, results, old, new, repeat=5)
            coarse = sum(result.by_paragraph for result in results)
            print(
                f"{f'diff {kb} KB, {name}':45} {seconds * 1000:10.1f} {markdown * 1000:12.1f}"
                f" {f'{coarse} of {len(results)}':>13}"
            )
        base, theirs, yours = body(rng, size), body(rng, size), body(rng, size)
        seconds = timed(_merge, base, theirs, yours, repeat=5)
        markdown = timed(render_markdown, base, repeat=5)
        name = f"three-way merge {kb} KB, unrelated"
        print(f"{name:45} {seconds * 1000:10.1f} {markdown * 1000:12.1f}")


def _compare_into(results: list, old: str, new: str) -> None:
    results.append(compare(old, new))


def _merge(base: str, theirs: str, yours: str):
    return merge_three_way(base, theirs, yours, their_label="a", your_label="b")


if __name__ == "__main__":
    main()
