"""Snippets of where the words of a search matched, for the rows of one page of results."""

import re

from django.contrib.postgres.search import SearchHeadline
from django.db import connection
from django.db.models import TextField, Value
from django.db.models.functions import Coalesce, Concat, Left
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from recommendations.models import Version, source_field
from recommendations.text.search import SEARCH_CONFIG, search_query
from strategy import fragments

# Marks around a match that no text contains, so that the text can be escaped whole and
# only the marks become <mark>.
START, STOP = "\x02", "\x03"
# ts_headline parses all the text it is given: the start of a long body is enough for a
# snippet, and keeps a page of results quick whatever the bodies' size.
SNIPPET_SOURCE_CHARS = 20_000
EXCERPT_CHARS = 90
# Markdown's marks, which a snippet of the source text would otherwise show ("##", "**").
_MARKDOWN = re.compile(r"^\s{0,3}(?:#{1,6}|>|[-*+]|\d+[.)])\s+|[*_`~]+|!?\[|\]\([^)]*\)", re.M)


def marked_html(text: str) -> SafeString:
    """`text` escaped, its marked matches in <mark> and nothing else."""
    plain = " ".join(_MARKDOWN.sub("", text).split())
    html = escape(plain).replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped just above; only <mark> is added


def plain_excerpt(text: str, q: str) -> str | None:
    """Where `q` first occurs in `text` (ignoring case), with some words either side."""
    found = text.lower().find(q.lower())
    if found < 0:
        return None
    start, end = max(0, found - EXCERPT_CHARS), found + len(q)
    return (
        ("… " if start else "")
        + text[start:found]
        + START
        + text[found:end]
        + STOP
        + text[end : end + EXCERPT_CHARS]
        + (" …" if end + EXCERPT_CHARS < len(text) else "")
    )


def search_snippets(*, version_ids: list[int], q: str) -> dict[int, SafeString]:
    """For these published versions (a page of search results: the ids the public selectors
    gave), the passage of the summary or body where `q` matched, by version id; versions
    whose text has no match (a title only) have none. One query at most (none when every
    snippet is kept). PostgreSQL's ts_headline with the search's own query; elsewhere the
    first plain occurrence of `q`.

    Kept by version and words (strategy/fragments.py): a version's text is frozen
    (recommendations.models.Version), so a snippet is never stale; ts_headline costs about
    half a millisecond a row."""
    q = q.strip()
    if not q or not version_ids:
        return {}

    def find(missing: list[int]) -> dict[int, SafeString | None]:
        found = _snippets(version_ids=missing, q=q)
        return {pk: found.get(pk) for pk in missing}  # None kept too: no match

    snippets = fragments.kept_many("search-snippet", {pk: (pk, q) for pk in version_ids}, find)
    return {pk: snippet for pk, snippet in snippets.items() if snippet is not None}


def _snippets(*, version_ids: list[int], q: str) -> dict[int, SafeString]:
    text = Concat(
        Coalesce(f"revision__{source_field('summary')}", Value(""), output_field=TextField()),
        Value("\n\n"),
        Left(
            Coalesce(f"revision__{source_field('body')}", Value(""), output_field=TextField()),
            SNIPPET_SOURCE_CHARS,
        ),
        output_field=TextField(),
    )
    versions = Version.objects.filter(pk__in=version_ids)
    if connection.vendor == "postgresql":
        headline = SearchHeadline(
            text,
            search_query(q),
            config=SEARCH_CONFIG,
            start_sel=START,
            stop_sel=STOP,
            max_words=30,
            min_words=12,
            max_fragments=2,
            fragment_delimiter=" … ",
        )
        rows = versions.annotate(snippet=headline).values_list("pk", "snippet")
        return {pk: marked_html(snippet) for pk, snippet in rows if START in snippet}
    rows = versions.annotate(text=text).values_list("pk", "text")
    excerpts = {pk: plain_excerpt(text, q) for pk, text in rows}
    return {pk: marked_html(excerpt) for pk, excerpt in excerpts.items() if excerpt}
