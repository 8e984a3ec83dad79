"""Full-text search of the published text (PostgreSQL): how a version's text is weighed
into its vector, and how a reader's words are read into a query. Written once, so that
what is stored (recommendation_publish, the load-test data) is what searching expects."""

from functools import reduce
from operator import add

from django.contrib.postgres.search import SearchQuery, SearchVector

from recommendations.models import source_field

# The dictionary the source text is stemmed with.
SEARCH_CONFIG = "english"
# The title weighs most, then the summary, then the body.
WEIGHTS = (("title", "A"), ("summary", "B"), ("body", "C"))


def search_vector(*, prefix: str = "") -> SearchVector:
    """The weighted vector of the source-language text at `prefix` (a revision's fields:
    "revision__" from a version)."""
    return reduce(
        add,
        (
            SearchVector(f"{prefix}{source_field(name)}", weight=weight, config=SEARCH_CONFIG)
            for name, weight in WEIGHTS
        ),
    )


def search_query(q: str) -> SearchQuery:
    """A reader's words as a query, the way web search engines read them ("quoted
    phrases", -left-out, or)."""
    return SearchQuery(q, config=SEARCH_CONFIG, search_type="websearch")
