"""Bad input answers 4xx, never 500: every URL pattern with a huge number in its path, with
query parameters that are no numbers or too large, and with an oversized POST; and the
probes that found the 500s (a 25-digit revision number, a 210 KB connector input)."""

import copy

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter

from recommendations import services
from strategy.ids import IdConverter
from tests.conftest import module_data
from tests.factories import (
    MembershipFactory,
    UserFactory,
    WorkingGroupFactory,
    iteration,
    review_version,
)
from tests.factories import recommendation as make

pytestmark = pytest.mark.django_db

HUGE = "9" * 25
BIG_TEXT = "x" * (210 * 1024)
# Query parameters the pages read, each with what a hostile reader may send.
BAD_QUERY = {
    "page": "not-a-number",
    "from": HUGE,
    "to": "-1",
    "group": HUGE,
    "iteration": "x" * 300,
    "q": "x" * 5000,
    "state": "%00",
    "area": HUGE,
}
# Every field a form of the project has, oversized or out of range.
TEXT_FIELDS = (
    "body", "text", "title", "summary", "quote", "note", "reason", "edit_summary", "source",
    "link", "name", "message", "email", "kind", "outcome", "fate",
)  # fmt: skip
NUMBER_FIELDS = (
    "revision", "near", "base_revision", "iteration", "recommendations", "members",
    "source_version", "reviewer", "rank", "due_on", "dated",
)  # fmt: skip
BIG_POST = dict.fromkeys(TEXT_FIELDS, BIG_TEXT) | dict.fromkeys(NUMBER_FIELDS, HUGE)

SKIPPED_NAMESPACES = {"admin"}


def _named_patterns(resolver=None, namespace=""):
    """(name with namespace, its integer path arguments, its other path arguments) for
    every named pattern the site has."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if entry.namespace in SKIPPED_NAMESPACES:
                continue
            yield from _named_patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            converters = getattr(entry.pattern, "converters", {})
            numbers = [
                name
                for name, converter in converters.items()
                if isinstance(converter, IntConverter | IdConverter)
            ]
            if not converters:
                numbers = [name for name in entry.pattern.regex.groupindex if name in ("pk", "id")]
            others = [name for name in converters if name not in numbers]
            others += [
                name
                for name in getattr(entry.pattern.regex, "groupindex", {})
                if name not in numbers and name not in converters
            ]
            yield f"{namespace}{entry.name}", numbers, others


PATTERNS = sorted(
    {(name, tuple(numbers), tuple(others)) for name, numbers, others in _named_patterns()}
)


def _world_built() -> dict:
    """One of everything a path can name, with the superuser who may see it all, and the
    group's coordinator who wrote it."""
    working_group, user = WorkingGroupFactory(), UserFactory()
    MembershipFactory(user=user, working_group=working_group, role="coordinator")
    second = iteration()
    published = make(working_group, user, revisions=2, title="Published")
    services.recommendation_publish(recommendation=published, user=user, iteration=second)
    published.refresh_from_db()
    version = review_version(working_group, user, title="In review")
    thread = services.thread_start(version=version, user=user, body="A review note")
    feedback = services.feedback_start(
        version=published.published_version, user=user, body="A public comment"
    )
    ids = {
        "pk": published.pk,
        "number": 1,
        "version": version.pk,
        "thread": thread.pk,
        "comment": thread.comments.first().pk,
        "source": published.pk,
        "link": 1,
        "assignment": 1,
    }
    words = {
        "group": working_group.slug,
        "slug": working_group.slug,
        "number": published.number,
        "action": "hide",
        "format": "csv",
        "language": "fr",
        "token": "not-a-token",
        "section": "recommendations",
        "feedback": feedback.pk,
    }
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    return {"ids": ids, "words": words, "admin": admin, "user": user}


_world = module_data("_world", _world_built)


@pytest.fixture
def world(_world, db):
    """The module's world, built once (tests/conftest.py `module_data`); each test has its
    own copy of its objects, and what it writes is rolled back after it."""
    return copy.deepcopy(_world)


def _url(name, numbers, others, world, huge: bool) -> str:
    kwargs = {key: world["words"].get(key, "x") for key in others}
    for key in numbers:
        kwargs[key] = HUGE if huge else world["ids"].get(key, 1)
    return reverse(name, kwargs=kwargs)


def _assert_no_server_error(response, what):
    assert response.status_code < 500, f"{what}: {response.status_code}"


@pytest.mark.parametrize(("name", "numbers", "others"), PATTERNS, ids=[p[0] for p in PATTERNS])
def test_no_pattern_answers_500_to_hostile_input(client, world, name, numbers, others):
    client.force_login(world["admin"])
    variants = [False, True] if numbers else [False]
    for huge in variants:
        url = _url(name, numbers, others, world, huge)
        _assert_no_server_error(client.get(url), f"GET {url}")
        _assert_no_server_error(client.get(url, BAD_QUERY), f"GET {url}?{BAD_QUERY}")
        _assert_no_server_error(client.post(url, BIG_POST), f"POST {url} (oversized)")
        if huge:
            assert client.get(url).status_code == 404, url


@pytest.mark.parametrize(("name", "numbers", "others"), PATTERNS, ids=[p[0] for p in PATTERNS])
def test_no_pattern_answers_500_to_anonymous_hostile_input(client, world, name, numbers, others):
    for huge in [False, True] if numbers else [False]:
        url = _url(name, numbers, others, world, huge)
        _assert_no_server_error(client.get(url, BAD_QUERY), f"GET {url}?{BAD_QUERY}")
        _assert_no_server_error(client.post(url, BIG_POST), f"POST {url} (oversized)")


# The probes that found the 500s, each with input that is valid but for one value.


@pytest.fixture
def member_world(client, world):
    client.force_login(world["user"])
    from recommendations.models import Recommendation

    return Recommendation.objects.get(pk=world["ids"]["pk"])


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("revisions/{huge}/", {}),
        ("revisions/{huge}/restore/", {}),
        ("diff/", {"from": HUGE}),
        ("diff/", {"to": HUGE}),
        ("diff/", {"from": HUGE, "to": HUGE}),
        ("diff/", {"from": "-5"}),
    ],
)
def test_a_revision_number_too_large_for_the_database_is_not_found(
    client, member_world, path, query
):
    url = member_world.get_absolute_url() + path.format(huge=HUGE)
    response = client.post(url) if "restore" in path else client.get(url, query)
    assert response.status_code == 404, url


def test_resolving_as_incorporated_in_a_huge_revision_is_a_form_error(client, world):
    from recommendations.models import Thread

    client.force_login(world["user"])

    thread = Thread.objects.get(pk=world["ids"]["thread"])
    url = reverse("recommendations:resolve", args=[thread.version.recommendation_id, thread.pk])
    response = client.post(url, {"outcome": "incorporated", "revision": HUGE})
    assert response.status_code == 422
    # The revisions are offered as a choice: a number not offered is not one of them.
    assert "Select a valid choice" in response.content.decode()
    thread.refresh_from_db()
    assert thread.outcome == ""


def test_an_edit_with_a_huge_base_revision_is_refused_with_a_message(client, member_world):
    response = client.post(
        reverse("recommendations:edit", args=[member_world.pk]),
        {"title": "T", "summary": "S", "body": "B", "base_revision": HUGE, "edit_summary": "x"},
    )
    assert 400 <= response.status_code < 500


def test_a_210_kb_connector_input_is_a_form_error(client, world):
    from recommendations.models import Input

    client.force_login(world["admin"])
    response = client.post(
        reverse("synthesis:inputs"),
        {
            "kind": Input.Kind.choices[0][0],
            "title": "A long input",
            "text": BIG_TEXT,
            "recommendations": [world["ids"]["pk"]],
        },
    )
    assert response.status_code == 422
    assert "the limit is 200 KB" in response.content.decode()
    assert not Input.objects.exists()


def test_the_admin_answers_huge_ids_and_bad_list_parameters_without_500(client, world):
    """The admin's own patterns (left out of the sweep above): every registered model's
    change, history and delete page for a 25-digit id, its list with bad parameters."""
    from django.contrib import admin

    client.force_login(world["admin"])
    errors = []
    for model in admin.site._registry:
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        for suffix in ("change/", "history/", "delete/"):
            response = client.get(f"{base}{HUGE}/{suffix}")
            if response.status_code >= 500:
                errors.append((f"{base}{HUGE}/{suffix}", response.status_code))
        for query in ({"p": "x"}, {"id__exact": HUGE}, {"q": "x" * 5000}, {"o": "99"}):
            response = client.get(base, query)
            if response.status_code >= 500:
                errors.append((base, query, response.status_code))
    assert errors == []
