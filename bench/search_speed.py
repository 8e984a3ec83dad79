"""What a search costs at 100 times the reference case, a rare word against one in nearly
every text, ranking every match (as search did) against ranking RANKED_AT_MOST of them
(recommendations/selectors/reading.py), in the same run; results in bench/results/search.md.

    .venv/bin/python bench/search_speed.py [--repeat 15] [words...]

It reads the data set bench/load.py fills (strategy_load: `make bench-load` once, or
`manage.py scale_data` under bench.settings), with the page cache off.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import ENV, RESULTS  # noqa: E402

WORDS = ("folklore", "community")


def every_match_ranked(q: str):
    """The first page's query as it was: ts_rank on every match, then the list's order."""
    from django.contrib.postgres.search import SearchRank
    from django.db.models import F

    from recommendations import selectors
    from recommendations.text.search import search_query

    query = search_query(q)
    listed = selectors.public_versions(bodies=False, translations=False)
    return (
        listed.filter(search__vector=query)
        .annotate(rank=SearchRank(F("search__vector"), query))
        .order_by("-rank", *listed.query.order_by)
    )


def bounded_first_page(q: str) -> list[int]:
    """The first page's ids as the list finds them now (public_version_ids)."""
    from recommendations import selectors

    return list(selectors.public_version_ids(q=q)[0:25])


def every_match_ranked_first_page(q: str) -> list[int]:
    return list(every_match_ranked(q).values_list("pk", flat=True)[:25])


def interleaved_ms(works: dict, repeat: int) -> dict[str, float]:
    """The median time of each of `works`, run in turn `repeat` times (so that a busy
    moment of the machine weighs on each alike), after one run each to warm up."""
    times = {name: [] for name in works}
    for _ in range(repeat + 1):
        for name, work in works.items():
            started = time.perf_counter()
            work()
            times[name].append((time.perf_counter() - started) * 1000)
    return {name: statistics.median(found[1:]) for name, found in times.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("words", nargs="*", default=list(WORDS))
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    os.environ.update({**ENV, "PUBLIC_PAGE_CACHE": "false"})
    import django

    django.setup()
    from django.contrib.staticfiles.storage import StaticFilesStorage, staticfiles_storage
    from django.test import Client

    from recommendations.selectors.reading import RANKED_AT_MOST

    # The page's figures need no collected static files.
    staticfiles_storage._wrapped = StaticFilesStorage()
    client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
    rows = []
    for word in args.words:
        from recommendations import selectors

        matches = selectors.public_versions(q=word, bodies=False, translations=False).count()
        # Each run builds its query: a bounded search asks for its newest matches then.
        first_page = interleaved_ms(
            {
                "before": lambda w=word: every_match_ranked_first_page(w),
                "after": lambda w=word: bounded_first_page(w),
            },
            args.repeat,
        )
        same = len(set(every_match_ranked_first_page(word)) & set(bounded_first_page(word)))
        page = interleaved_ms(
            {"page": lambda w=word: client.get(f"/recommendations/?q={w}")}, args.repeat
        )["page"]
        rows.append(
            {
                "word": word,
                "matches": matches,
                "before": first_page["before"],
                "after": first_page["after"],
                "same": same,
                "page": page,
            }
        )
        print(
            f"{word}: {matches:,} matches; first page's query {first_page['before']:.1f} ms "
            f"ranking every match, {first_page['after']:.1f} ms ranking at most "
            f"{RANKED_AT_MOST:,}; {same} of 25 the same; the list page {page:.1f} ms"
        )
    write(rows, RANKED_AT_MOST, args.repeat)
    return 0


def write(rows, ranked_at_most: int, repeat: int) -> None:
    rare, common = rows[0], rows[-1]
    lines = [
        "# Search at 100 times the reference case",
        "",
        f"`bench/search_speed.py`, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, medians of {repeat} "
        "runs each (before and after in turn), the page cache off. *First page's query*: "
        "the ids of the first 25 results (ranking and ordering), ranking every match (before) "
        "and at most "
        f"{ranked_at_most:,}, the newest (after). *List page*: `/recommendations/?q=` whole, "
        "after (with the count, titles and snippets).",
        "",
        "| word | matches | first page's query, before | after | same first 25 | list page |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        *(
            f"| {row['word']} | {row['matches']:,} | {row['before']:.1f} ms | "
            f"{row['after']:.1f} ms | {row['same']} | {row['page']:.1f} ms |"
            for row in rows
        ),
        "",
        f"Common against rare, first page's query: before {common['before'] / rare['before']:.1f}"
        f" times, after {common['after'] / rare['after']:.1f} times.",
        "",
    ]
    (RESULTS / "search.md").write_text("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
