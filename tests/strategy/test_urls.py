"""The URL layout: private pages under /workspace/, public addresses no group slug can
shadow, and permanent redirects from the addresses private pages had before."""

import itertools
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RoutePattern

from groups.models import Role
from recommendations.models import Iteration, Thread
from tests.factories import iteration
from tests.factories import recommendation as make
from tests.public.conftest import publish

# Slugs that read like the names of pages: each was, or could become, a path segment.
RESERVED_LOOKING = [
    "ranking",
    "new",
    "preview",
    "assignments",
    "invitations",
    "export",
    "compare",
    "feedback",
    "sources",
    "history",
    "edit",
    "workspace",
    "calendar",
    "2030",
]
# Sample values for converters: the reserved-looking words, some numbers, file formats.
SAMPLES = [*RESERVED_LOOKING, "7", "1", "6A", "csv", "json", ".json", "en"]


def _named_routes(patterns=None, namespace="", converters=None):
    """(name, converters) for every named route pattern, namespaced like reverse() wants.

    Patterns written as regular expressions (the admin's, the API router's) are generated
    by their packages, not written here, and have no converters to sample: left out."""
    patterns = get_resolver().url_patterns if patterns is None else patterns
    converters = converters or {}
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            inner = {**converters, **getattr(entry.pattern, "converters", {})}
            prefix = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named_routes(entry.url_patterns, prefix, inner)
        elif (
            isinstance(entry, URLPattern) and entry.name and isinstance(entry.pattern, RoutePattern)
        ):
            yield (
                f"{namespace}{entry.name}",
                {**converters, **entry.pattern.converters},
                entry.callback,
            )


ROUTES = sorted(_named_routes(), key=lambda route: (route[0], list(route[1])))
IDS = [f"{name}({','.join(converters)})" if converters else name for name, converters, _ in ROUTES]


def _samples(converter) -> list:
    return [
        converter.to_python(value)
        for value in SAMPLES
        if re.fullmatch(converter.regex, value) and _converts(converter, value)
    ]


def _converts(converter, value) -> bool:
    try:
        converter.to_python(value)
    except ValueError:
        return False
    return True


def _refused(name, kwargs) -> bool:
    """An iteration may not take a slug that is another page's address (the model's rule,
    tested below): such a page cannot exist to be shadowed."""
    if not name.startswith("public:iteration") or "slug" not in kwargs:
        return False
    try:
        Iteration(name="An iteration", slug=kwargs["slug"]).clean()
    except ValidationError:
        return True
    return False


@pytest.mark.parametrize(("name", "converters", "view"), ROUTES, ids=IDS)
def test_reverse_then_resolve_gives_back_the_same_view(name, converters, view):
    """Whatever a slug, number or token is (reserved-looking words included), the address
    reverse() builds for a page resolves to that page and not to another one."""
    choices = [_samples(converter) for converter in converters.values()]
    assert all(choices), f"no sample value fits a converter of {name}"
    wrong = []
    for values in itertools.product(*choices):
        kwargs = dict(zip(converters, values, strict=True))
        if _refused(name, kwargs):
            continue
        path = reverse(name, kwargs=kwargs)
        match = resolve(path)
        # The same view under two names (allauth's sign-in is also "login") is no shadowing.
        same_view = match.view_name == name or match.func is view
        if not same_view or match.captured_kwargs != kwargs:
            wrong.append(f"{path} -> {match.view_name} {match.kwargs}")
    assert not wrong, f"{name} is shadowed: {wrong[:5]}"


def test_an_iteration_may_not_take_the_address_of_another_page():
    """/iterations/compare/ compares iterations: an iteration slugged "compare" is refused
    (it would have no page), one slugged "compared" is not."""
    with pytest.raises(ValidationError) as refused:
        Iteration(name="Compare", slug="compare").clean()
    assert refused.value.error_dict["slug"][0].code == "reserved"
    Iteration(name="Compared", slug="compared").clean()
    assert [_refused("public:iteration", {"slug": s}) for s in ("compare", "new")] == [
        True,
        False,
    ]


def test_every_private_page_is_under_workspace():
    """The pages of the signed-in working areas all live under /workspace/, the prefix no
    public pattern uses; public addresses do not start with it."""
    private = {
        "workspace",
        "reviews",
        "needs_me",
        "groups:invite",
        "groups:invitation_resend",
        "groups:invitation_revoke",
        "synthesis:overview",
        "synthesis:overlaps",
        "synthesis:inputs",
        "synthesis:fate",
        "synthesis:sources",
        "synthesis:unlink",
        "synthesis:source_note",
        "feedback:triage",
        "feedback:moderate",
        "translations:table",
        "translations:edit",
        "translations:ready",
        "translations:po_download",
        "translations:xliff_download",
        "translations:file_upload",
        "translations:iteration_files",
        "translations:iteration_po_download",
        "translations:iteration_xliff_download",
        "translations:iteration_ready",
        "notices:list",
        "notices:open",
        "notices:read_all",
        "notices:preferences",
        "watching:list",
        "watching:recommendation",
        "watching:group",
        "recommendations:suggestion_workbench",
    } | {name for name, _, _ in ROUTES if name.startswith("recommendations:")}
    public = {name for name, _, _ in ROUTES} - private
    for name, converters, _ in ROUTES:
        kwargs = {key: _samples(converter)[0] for key, converter in converters.items()}
        path = reverse(name, kwargs=kwargs)
        assert path.startswith("/workspace/") == (name in private), (name, path)
    assert "public:recommendation" in public
    assert "synthesis:coverage" in public


@pytest.fixture
def reserved_group(request, working_group_factory):
    return working_group_factory(slug=request.param)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "reserved_group", ["ranking", "new", "preview", "assignments"], indirect=True
)
def test_a_group_with_a_reserved_looking_slug_keeps_its_public_pages(client, reserved_group, user):
    """A group slugged like a page name: its recommendation page, the comparison of its
    iterations and its feedback form answer at /recommendations/<slug>/<number>/..."""
    first = iteration("first-draft", "First draft")
    second = iteration("second-iteration", "Second iteration")
    made = make(reserved_group, user, title="Reserved slug, public page", body="One.\n")
    publish(made, user, first)
    publish(made, user, second, body="Two.\n")
    base = f"/recommendations/{reserved_group.slug}/{made.number}/"
    assert made.get_public_url() == base

    page = client.get(base)
    assert page.status_code == 200
    assert page.resolver_match.view_name == "public:recommendation"
    assert "Reserved slug, public page" in page.content.decode()

    compare = client.get(f"{base}compare/", {"from": first.slug, "to": second.slug})
    assert compare.status_code == 200
    assert compare.resolver_match.view_name == "public:compare"
    assert "One." in compare.content.decode()

    client.force_login(user)
    invalid = client.post(f"{base}feedback/", {"body": ""})
    assert invalid.status_code == 422
    assert invalid.resolver_match.view_name == "feedback:create"
    given = client.post(f"{base}feedback/", {"body": "Clear and short."})
    thread = Thread.objects.get(version__recommendation=made, public=True)
    assert given.status_code == 302
    assert given["Location"] == reverse("public:feedback_thread", args=[thread.pk])


@pytest.mark.django_db
@pytest.mark.parametrize("reserved_group", ["ranking", "new", "preview"], indirect=True)
def test_a_group_with_a_reserved_looking_slug_keeps_its_private_pages(
    client, reserved_group, membership_factory
):
    """The same group's working pages: the new-draft form, the ranking, the preview."""
    coordinator = membership_factory(working_group=reserved_group, role=Role.COORDINATOR).user
    client.force_login(coordinator)

    create = client.get(reverse("recommendations:create", args=[reserved_group.slug]))
    assert create.status_code == 200
    assert create.resolver_match.view_name == "recommendations:create"
    assert create.request["PATH_INFO"] == f"/workspace/new/{reserved_group.slug}/"

    ranking = client.get(f"/workspace/ranking/{reserved_group.slug}/")
    assert ranking.status_code == 200
    assert ranking.context["group"] == reserved_group

    preview = client.post("/workspace/preview/", {"body": "**bold**"})
    assert preview.status_code == 200
    assert "<strong>bold</strong>" in preview.content.decode()


# The URL map: every address a private page had, and where it is now.
MOVED = [
    ("/recommendations/preview/", "/workspace/preview/"),
    ("/recommendations/new/advocacy/", "/workspace/new/advocacy/"),
    ("/recommendations/ranking/advocacy/", "/workspace/ranking/advocacy/"),
    ("/recommendations/7/", "/workspace/recommendations/7/"),
    ("/recommendations/7/edit/", "/workspace/recommendations/7/edit/"),
    ("/recommendations/7/editing/", "/workspace/recommendations/7/editing/"),
    ("/recommendations/7/history/", "/workspace/recommendations/7/history/"),
    ("/recommendations/7/diff/", "/workspace/recommendations/7/diff/"),
    ("/recommendations/7/revisions/3/", "/workspace/recommendations/7/revisions/3/"),
    (
        "/recommendations/7/revisions/3/restore/",
        "/workspace/recommendations/7/revisions/3/restore/",
    ),
    ("/recommendations/7/submit/", "/workspace/recommendations/7/submit/"),
    ("/recommendations/7/publish/", "/workspace/recommendations/7/publish/"),
    ("/recommendations/7/withdraw/", "/workspace/recommendations/7/withdraw/"),
    ("/recommendations/7/versions/2/", "/workspace/recommendations/7/versions/2/"),
    (
        "/recommendations/7/versions/2/outcomes/",
        "/workspace/recommendations/7/versions/2/outcomes/",
    ),
    (
        "/recommendations/7/versions/2/threads/",
        "/workspace/recommendations/7/versions/2/threads/",
    ),
    ("/recommendations/7/versions/2/assign/", "/workspace/recommendations/7/versions/2/assign/"),
    ("/recommendations/7/threads/4/", "/workspace/recommendations/7/threads/4/"),
    ("/recommendations/7/threads/4/reply/", "/workspace/recommendations/7/threads/4/reply/"),
    ("/recommendations/7/threads/4/resolve/", "/workspace/recommendations/7/threads/4/resolve/"),
    ("/recommendations/7/threads/4/reopen/", "/workspace/recommendations/7/threads/4/reopen/"),
    ("/recommendations/7/comments/5/edit/", "/workspace/recommendations/7/comments/5/edit/"),
    ("/recommendations/assignments/6/accept/", "/workspace/assignments/6/accept/"),
    ("/recommendations/7/sources/", "/workspace/recommendations/7/sources/"),
    ("/recommendations/7/sources/8/remove/", "/workspace/recommendations/7/sources/8/remove/"),
    ("/reviews/", "/workspace/reviews/"),
    ("/synthesis/", "/workspace/synthesis/"),
    ("/synthesis/overlaps/", "/workspace/synthesis/overlaps/"),
    ("/synthesis/inputs/", "/workspace/synthesis/inputs/"),
    ("/synthesis/fates/9/", "/workspace/synthesis/fates/9/"),
    ("/feedback/10/triage/", "/workspace/feedback/10/triage/"),
    ("/feedback/comments/11/hide/", "/workspace/feedback/comments/11/hide/"),
    ("/translations/", "/workspace/translations/"),
    ("/translations/7/fr/", "/workspace/translations/7/fr/"),
    ("/notifications/", "/workspace/notifications/"),
    ("/notifications/12/open/", "/workspace/notifications/12/open/"),
    ("/notifications/read/", "/workspace/notifications/read/"),
    ("/notifications/preferences/", "/workspace/notifications/preferences/"),
    ("/groups/advocacy/invite/", "/workspace/groups/advocacy/invite/"),
    # Also where the old address has the shape of another page (an invitation's link).
    ("/groups/invitations/invite/", "/workspace/groups/invitations/invite/"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("old", "new"), MOVED, ids=[old for old, _ in MOVED])
def test_an_old_private_address_redirects_permanently_with_its_query(client, old, new):
    """A link in an e-mail already sent still works: 301 to the new address, the query
    string kept; a form posted to it is sent on with 308, which keeps the method and body."""
    moved = client.get(old, {"page": "2", "next": "/a b/"})
    assert moved.status_code == 301
    assert moved["Location"] == f"{new}?page=2&next=%2Fa+b%2F"
    assert resolve(new).view_name != "public:recommendation"
    posted = client.post(old, {"body": "x"})
    assert posted.status_code == 308
    assert posted["Location"] == new


@pytest.mark.django_db
def test_an_old_address_keeps_its_language_prefix(client):
    moved = client.get("/fr/recommendations/7/history/", {"diff": "1"})
    assert moved.status_code == 301
    assert moved["Location"] == "/fr/workspace/recommendations/7/history/?diff=1"


@pytest.mark.django_db
def test_the_public_page_wins_over_an_old_address_it_shares(client, working_group_factory, user):
    """/recommendations/ranking/<x>/ was the ranking of group x; it is also the public page
    of recommendation x of a group slugged "ranking". Where that page exists it is served;
    where it does not, the old address redirects."""
    ranking = working_group_factory(slug="ranking")
    made = make(ranking, user, title="Ranked first")
    publish(made, user, iteration())
    page = client.get(f"/recommendations/ranking/{made.number}/")
    assert page.status_code == 200
    assert "Ranked first" in page.content.decode()
    moved = client.get("/recommendations/ranking/advocacy/")
    assert moved.status_code == 301
    assert moved["Location"] == "/workspace/ranking/advocacy/"


@pytest.mark.django_db
def test_a_member_following_an_old_link_reaches_the_page(client, membership, user):
    made = make(membership.working_group, membership.user, revisions=2)
    client.force_login(membership.user)
    response = client.get(f"/recommendations/{made.pk}/history/", follow=True)
    assert response.redirect_chain == [(f"/workspace/recommendations/{made.pk}/history/", 301)]
    assert response.status_code == 200
    assert response.resolver_match.view_name == "recommendations:history"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/recommendations/nothing-here/",
        "/synthesis/nothing-here/",
        "/notifications/unsubscribe-me/",
    ],
)
def test_an_unknown_address_is_still_a_404(client, path):
    """Only the addresses that existed redirect; anything else stays a plain 404."""
    assert client.get(path).status_code == 404


@pytest.mark.django_db
def test_unsubscribing_stays_where_the_e_mails_point(client):
    """The unsubscribe link is for anyone holding it, signed in or not, and mail clients
    post to it in one click (RFC 8058), where a redirect is not followed: it does not move."""
    path = reverse("notices:unsubscribe", args=["a-token"])
    assert path == "/notifications/unsubscribe/a-token/"
    assert client.get(path).status_code != 301


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("old", "queries"),
    [("/reviews/", 0), ("/recommendations/7/history/", 1)],
)
def test_an_old_address_costs_at_most_the_public_lookup(
    client, django_assert_num_queries, old, queries
):
    """An anonymous old link costs no query of its own: only the public page's lookup where
    the old address has the shape of a public page."""
    with django_assert_num_queries(queries):
        assert client.get(old).status_code == 301
