"""Nothing unpublished leaks: every URL pattern of the project, as every role.

One set of objects: a published thematic recommendation, a published synthesized one and a
withdrawn one, each edited afterwards (title, summary, body) with a marker of its own and
not published again, and a synthesis draft never published. Every GET answer is searched
for the markers: a marker may appear only to the roles that may read that working copy
(docs/permissions.md, "read the working copy"), and never on a public page.
"""

import itertools
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils import timezone

from groups.models import Role, WorkingGroup
from recommendations import selectors, services
from recommendations.models import Recommendation
from tests.factories import (
    CoreTeamFactory,
    MembershipFactory,
    UserFactory,
    WorkingGroupFactory,
    iteration,
)
from tests.factories import recommendation as make

pytestmark = pytest.mark.django_db

THEMATIC, SYNTHESIZED, SYNTHESIS_DRAFT, WITHDRAWN = (
    "zqthematicmark",
    "zqsynthesizedmark",
    "zqsynthdraftmark",
    "zqwithdrawnmark",
)

# Who may read each working copy (the table's "read the working copy" row).
READERS = {
    THEMATIC: {"member", "coordinator", "core_team"},
    WITHDRAWN: {"member", "coordinator", "core_team"},
    SYNTHESIZED: {"writer", "connector", "reviewer", "core_team"},
    SYNTHESIS_DRAFT: {"writer", "connector", "reviewer", "core_team"},
}

ROLES = [
    "anonymous",
    "community",
    "other_group",
    "member",
    "coordinator",
    "writer",
    "connector",
    "reviewer",
    "translator",
    "staff",
    "core_team",
]

# Namespaces and names of the pages that are not public: the working copy's pages, the
# synthesis group's pages, a person's own pages. Everything else is public: no marker,
# whoever asks.
PRIVATE_NAMESPACES = {"recommendations", "notices"}
PRIVATE_NAMES = {
    "workspace",
    "reviews",
    "synthesis:overview",
    "synthesis:overlaps",
    "synthesis:inputs",
    "synthesis:sources",
    "synthesis:fate",
    "synthesis:unlink",
    "synthesis:source_note",
    # The triage form lists words of working copies to those who read them.
    "feedback:triage",
}


def _edit(recommendation, user, marker):
    """A new revision with the marker in every field, not published."""
    services.recommendation_update(
        recommendation=recommendation,
        user=user,
        title=f"Working title {marker}",
        summary=f"Working summary {marker}",
        body=f"Working body {marker}.\n",
        base_revision=selectors.revision_latest(recommendation=recommendation).history_id,
    )


@pytest.fixture
def world(db):
    second = iteration("second-iteration")
    group = WorkingGroupFactory(slug="probe-group")
    other = WorkingGroupFactory(slug="other-group")
    synthesis = WorkingGroup.objects.create(
        name_en="Synthesis group", slug="synthesis", kind=WorkingGroup.Kind.SYNTHESIS
    )
    people = {"core_team": CoreTeamFactory(), "staff": UserFactory(is_staff=True)}
    people["community"] = UserFactory()
    for role, in_group, as_role in [
        ("other_group", other, Role.MEMBER),
        ("member", group, Role.MEMBER),
        ("coordinator", group, Role.COORDINATOR),
        ("writer", synthesis, Role.WRITER),
        ("connector", synthesis, Role.CONNECTOR),
        ("reviewer", synthesis, Role.REVIEWER),
    ]:
        people[role] = UserFactory()
        MembershipFactory(user=people[role], working_group=in_group, role=as_role)
    people["translator"] = UserFactory()
    people["translator"].user_permissions.add(
        Permission.objects.get(codename="translate_recommendation")
    )
    core = people["core_team"]

    thematic = make(group, core, title="Published thematic title", summary="Published summary")
    snapshot = services.recommendation_submit_for_review(
        recommendation=thematic, user=core, name="Review 1"
    )
    services.assignment_create(
        version=snapshot,
        reviewer=people["reviewer"],
        assigned_by=core,
        due_on=timezone.localdate() + timedelta(days=7),
    )
    services.thread_start(version=snapshot, user=people["reviewer"], body="A review remark.")
    published_version = services.recommendation_publish(
        recommendation=thematic, user=core, iteration=second
    )
    other_source = make(other, core, title="Other group's published title")
    services.recommendation_publish(recommendation=other_source, user=core, iteration=second)
    withdrawn = make(group, core, title="Withdrawn published title")
    services.recommendation_publish(recommendation=withdrawn, user=core, iteration=second)

    synthesized = make(synthesis, core, title="Published synthesized title")
    services.source_link(synthesized=synthesized, source_version=published_version, user=core)
    services.recommendation_publish(recommendation=synthesized, user=core, iteration=second)
    draft = make(synthesis, core, title=f"Synthesis draft {SYNTHESIS_DRAFT}")
    services.source_link(synthesized=draft, source_version=published_version, user=core)

    thread = services.feedback_start(
        version=published_version, user=people["community"], body="Public feedback."
    )
    services.overlap_create(members=[thematic, other_source], note="They overlap.", user=core)
    services.input_create(
        kind="research",
        title="An input",
        recommendations=[thematic, synthesized, draft],
        user=people["connector"],
    )

    for recommendation, marker in [
        (thematic, THEMATIC),
        (synthesized, SYNTHESIZED),
        (withdrawn, WITHDRAWN),
    ]:
        recommendation.refresh_from_db()
        _edit(recommendation, core, marker)
    draft.refresh_from_db()
    _edit(draft, core, SYNTHESIS_DRAFT)
    services.recommendation_withdraw(
        recommendation=Recommendation.objects.get(pk=withdrawn.pk), user=core, reason="Gone."
    )
    return {
        "people": people,
        "recommendations": [thematic, synthesized, draft, withdrawn, other_source],
        "thread": thread,
        "iteration": second,
        "groups": [group, other, synthesis],
    }


def _patterns(resolver, namespaces=(), params=()):
    """(full name, pattern names and converters) for every named URL pattern."""
    for entry in resolver.url_patterns:
        found = dict(params)
        pattern = entry.pattern
        if isinstance(pattern, RoutePattern):
            found.update(pattern.converters)
        elif isinstance(pattern, RegexPattern):
            found.update(dict.fromkeys(pattern.regex.groupindex))
        if isinstance(entry, URLResolver):
            if str(pattern).startswith("admin/"):
                continue
            inner = namespaces + ((entry.namespace,) if entry.namespace else ())
            yield from _patterns(entry, inner, tuple(found.items()))
        elif isinstance(entry, URLPattern) and entry.name:
            if str(pattern).startswith("admin/"):
                continue
            yield ":".join((*namespaces, entry.name)), found


def _contexts(world):
    """Consistent sets of values for path arguments, one per object."""
    contexts = []
    slugs = [group.slug for group in world["groups"]] + [world["iteration"].slug]
    for recommendation in world["recommendations"]:
        versions = list(recommendation.versions.values_list("pk", flat=True))
        threads = [
            pk
            for version in recommendation.versions.all()
            for pk in version.threads.filter(public=False).values_list("pk", flat=True)
        ]
        contexts.append(
            {
                "pk": [recommendation.pk, *versions],
                "group": [recommendation.working_group.slug],
                "number": [recommendation.number],
                "revision": list(range(1, recommendation.history.count() + 1)),
                "version": versions,
                "thread": threads,
                "link": list(recommendation.source_links.values_list("pk", flat=True)),
                "source": [recommendation.pk],
                "language": ["fr"],
                "slug": slugs,
                "format": ["csv", "json"],
                "section": ["pages", "groups", "recommendations", "iterations"],
                "action": ["hide"],
            }
        )
    thread = world["thread"]
    comment = thread.comments.first()
    contexts.append({"pk": [thread.pk, comment.pk], "action": ["hide"], "format": ["json"]})
    return contexts


def _urls(world):
    urls = set()
    contexts = _contexts(world)
    for name, params in _patterns(get_resolver()):
        if not params:
            urls.add((name, reverse(name)))
            continue
        for context in contexts:
            choices = []
            for param, converter in params.items():
                key = (
                    "revision"
                    if param == "number" and isinstance(converter, IntConverter)
                    else param
                )
                choices.append([(param, value) for value in context.get(key, [])])
            for combination in itertools.product(*choices):
                try:
                    urls.add((name, reverse(name, kwargs=dict(combination))))
                except Exception:
                    continue
    return sorted(urls, key=lambda item: item[1])


def _is_public(name: str) -> bool:
    namespace = name.split(":")[0] if ":" in name else ""
    return namespace not in PRIVATE_NAMESPACES and name not in PRIVATE_NAMES


def _body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def test_no_working_copy_reaches_anyone_who_may_not_read_it(client, world):
    """Every URL pattern, GET, as every role: a marker appears only to the roles that read
    that working copy, and on no public page for anyone."""
    urls = _urls(world)
    assert len(urls) > 100
    # The enumeration reaches every kind of page the rule must hold on.
    assert {name for name, _url in urls} >= {
        "recommendations:detail",
        "recommendations:history",
        "recommendations:diff",
        "recommendations:revision",
        "recommendations:version",
        "public:list",
        "public:export",
        "public:compare",
        "public:iteration_pdf",
        "feeds:recommendations",
        "sitemap-section",
        "recommendation-list",
        "recommendation-detail",
        "public:feedback_thread",
        "synthesis:coverage_csv",
        "synthesis:sources",
    }
    leaks, seen = [], set()
    # The public pages in another language too (translations are kept on the
    # recommendation, beside the working copy), as two of the roles that read none.
    translated = [(name, "/fr" + url) for name, url in urls if _is_public(name)]
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(world["people"][role])
        for name, url in urls + (translated if role in ("anonymous", "other_group") else []):
            response = client.get(url, follow=False)
            assert response.status_code < 500, (role, url, response.status_code)
            body = _body(response) + response.get("Location", "")
            for marker, readers in READERS.items():
                if marker not in body:
                    continue
                if _is_public(name) or role not in readers:
                    leaks.append((role, url, marker))
                else:
                    seen.add((marker, role))
    # The probe would prove nothing if no page showed a working copy to anyone.
    assert seen == {(marker, role) for marker, readers in READERS.items() for role in readers}
    addresses = {url for _role, url, _marker in leaks}
    assert not leaks, f"{len(leaks)} leaks at {len(addresses)} addresses:\n" + "\n".join(
        f"{role:12} {url} {marker}" for role, url, marker in leaks
    )
