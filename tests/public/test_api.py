import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.factories import iteration
from tests.factories import recommendation as make

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_the_openapi_schema_validates(tmp_path):
    """drf-spectacular builds the schema and validates it against the OpenAPI spec."""
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", tmp_path / "s.yml")
    assert "openapi: 3" in (tmp_path / "s.yml").read_text()


def test_endpoints_answer_what_they_declare(client, published, working_group):
    recommendations = client.get("/api/recommendations/").json()
    assert recommendations["count"] == 2
    first = recommendations["results"][0]
    assert set(first) == {
        "id",
        "group",
        "number",
        "state",
        "iteration",
        "title",
        "summary",
        "body",
        "published_at",
        "url",
    }
    assert {r["title"] for r in recommendations["results"]} == {"Advocacy hub", "Open minutes"}
    hub = client.get("/api/recommendations/?q=regional").json()["results"]
    assert [r["title"] for r in hub] == ["Advocacy hub"]
    first_draft = client.get("/api/recommendations/?iteration=first-draft").json()["results"]
    assert "global hub" in first_draft[0]["body"]
    groups = client.get("/api/groups/").json()
    assert groups["results"][0]["slug"] == working_group.slug
    assert client.get(f"/api/groups/{working_group.slug}/").json()["name"] == working_group.name
    assert client.get("/api/iterations/").json()["count"] == 2
    assert client.get("/api/milestones/").status_code == 200
    assert client.get("/api/milestones/?group=nobody").json()["count"] == 0
    assert client.get("/api/recommendations/?state=draft").status_code == 400


@pytest.mark.parametrize(
    ("url", "queries"),
    # Lists read a page's ids, then its rows (public.api.pagination.in_order), after the count.
    [
        ("/api/recommendations/", 3),
        ("/api/groups/", 4),
        # The filters' choices kept (public/forms.py): its ids, its rows, the count.
        ("/recommendations/", 3),
        ("/feeds/recommendations/", 1),
        # The iteration page: with its languages marked ready (one query when none is).
        ("/iterations/second-iteration/", 5),
    ],
)
def test_public_queries_do_not_grow(
    client,
    published,
    working_group,
    user,
    django_assert_num_queries,
    url,
    queries,
    django_capture_on_commit_callbacks,
):
    """The same number of queries with 2 and with 30 published recommendations."""
    from public.forms import FilterForm

    FilterForm()  # the list's filter choices, read once and kept
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    second = iteration("second-iteration")
    from recommendations import services

    # The cached pages learn of the change once it commits.
    with django_capture_on_commit_callbacks(execute=True):
        for index in range(28):
            services.recommendation_publish(
                recommendation=make(working_group, user, title=f"More {index}"),
                user=user,
                iteration=second,
            )
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


def test_recommendation_page_queries_do_not_grow(
    client,
    published,
    user,
    iterations,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from recommendations import services
    from strategy import fragments
    from tests.factories import iteration as make_iteration

    hub = published["hub"]
    url = hub.get_public_url()
    counts = []
    for size in (2, 8):
        if size == 8:
            with django_capture_on_commit_callbacks(execute=True):
                for index in range(6):
                    later = make_iteration(f"later-{index}", f"Later {index}")
                    services.recommendation_publish(recommendation=hub, user=user, iteration=later)
        fragments.forget()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.django_db(transaction=True)
def test_a_schema_driven_fuzzer_finds_nothing(live_server, published):
    """Schemathesis generates requests from the OpenAPI schema against the running app and
    checks that every answer matches what the schema declares, and that none is a 500."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "schemathesis.cli",
            "run",
            f"{live_server.url}/api/schema/",
            "--checks",
            "all",
            "--max-examples",
            "25",
            "--exclude-checks",
            "ignored_auth,positive_data_acceptance",
            "--no-color",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


@pytest.mark.parametrize(
    ("query", "refused"),
    [
        ("limit=abc", "limit"),
        ("limit=%D9%A3", "limit"),  # an Arabic-Indic three: a digit to int(), not to the schema
        ("offset=%EF%BC%91", "offset"),  # a full-width one
        ("limit=1_0", "limit"),
        ("limit=%205", "limit"),
        ("offset=-1", "offset"),
    ],
)
def test_paging_takes_whole_numbers_written_in_digits_only(client, published, query, refused):
    response = client.get(f"/api/recommendations/?{query}")
    assert response.status_code == 400
    assert refused in response.json()


def test_paging_by_limit_and_offset(client, published):
    page = client.get("/api/recommendations/?limit=1&offset=1").json()
    assert page["count"] == 2
    assert len(page["results"]) == 1
