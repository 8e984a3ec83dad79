"""Search ranks a bounded number of its matches (RANKED_AT_MOST, the newest), so that a
word in nearly every text costs the ranking of a rare one; the others follow them, newest
first, and the pages of results hold each match once."""

import pytest
from django.urls import reverse

from public.views import recommendations as list_views
from recommendations import selectors
from recommendations.selectors import reading
from tests.factories import recommendation as make
from tests.public.conftest import listed, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def matches(working_group, user, iterations):
    """Seven published recommendations that all say "harbour", oldest first; the oldest
    says it in its title (it ranks first when every match is ranked)."""
    _, second = iterations
    titles = ["Harbour rules", *(f"Plain {index}" for index in range(1, 7))]
    made = []
    for title in titles:
        recommendation = make(
            working_group, user, title=title, body="Boats wait in the harbour at night.\n"
        )
        made.append(publish(recommendation, user, second))
    return [recommendation.title_en for recommendation in made]


def titles(versions):
    return [version.revision.title_en for version in versions]


def test_every_match_is_ranked_when_there_are_fewer_than_the_bound(matches):
    found = titles(selectors.public_versions(q="harbour"))
    assert found[0] == "Harbour rules", "the title weighs most"
    assert sorted(found) == sorted(matches)


def test_beyond_the_bound_the_older_matches_follow_newest_first_unranked(matches, monkeypatch):
    """With the bound at 3, only the three newest matches are ranked: the title match,
    the oldest, is no longer first but among the rest, which come newest first."""
    monkeypatch.setattr(reading, "RANKED_AT_MOST", 3)
    versions = list(selectors.public_versions(q="harbour"))
    assert [version.rank > 0 for version in versions] == [True] * 3 + [False] * 4
    assert set(titles(versions[:3])) == set(matches[-3:])
    assert titles(versions[3:]) == list(reversed(matches[:4]))
    assert titles(versions)[-1] == "Harbour rules"


def test_the_pages_of_a_bounded_search_hold_each_match_once(client, matches, monkeypatch):
    monkeypatch.setattr(reading, "RANKED_AT_MOST", 3)
    monkeypatch.setattr(list_views, "PER_PAGE", 2)
    seen = []
    for page in range(1, 5):
        response = client.get(reverse("public:list"), {"q": "harbour", "page": page})
        assert response.context["page"].paginator.count == 7
        seen += titles(listed(response.context["page"]))
    assert len(seen) == 7
    assert sorted(seen) == sorted(matches)
    assert seen == titles(selectors.public_versions(q="harbour"))


def test_the_list_page_ranks_the_bounded_number_and_pages_the_others_off_the_index(
    matches, monkeypatch
):
    """The ids the list pages through: the ranked ones a list of at most the bound, the
    older matches a query of their own; with fewer matches than the bound, no such query."""
    monkeypatch.setattr(reading, "RANKED_AT_MOST", 3)
    results = selectors.public_version_ids(q="harbour")
    assert len(results.ranked) == 3
    assert results.older is not None
    assert results.count() == 7
    every = list(selectors.public_versions(q="harbour").values_list("pk", flat=True))
    assert results[0:7] == every
    assert results[2:5] == every[2:5]
    assert results[4:6] == every[4:6]
    monkeypatch.setattr(reading, "RANKED_AT_MOST", 10)
    results = selectors.public_version_ids(q="harbour")
    assert (len(results.ranked), results.older) == (7, None)
    assert results[0:25] == list(
        selectors.public_versions(q="harbour").values_list("pk", flat=True)
    )
