"""The reference case's recommendations: the 58 titles the public record gives, each with
a short body written for the demo and three revisions by different members of its group,
so that history and diffs show something on first run. Safe to load twice."""

import json
from datetime import date, timedelta
from pathlib import Path

from django.db import transaction

from groups.models import Membership, WorkingGroup
from strategy.demo import translated_fields

from . import selectors, services
from .models import Iteration, Recommendation

DATA_FILE = Path(__file__).parent / "demo_data" / "reference_case.json"

FIRST_BODY = """The {group} working group recommends: **{title}**.

## What we recommend

{title}. This is the group's draft; the wording will change as the group and the
community discuss it.
"""

WHY = """
## Why

The group found, in its scoping and in the community conversations of 2019, that this
change would help the movement advance in its Strategic Direction.
"""

QUESTIONS = """
## Open questions

- Who takes the first step, and with what resources?
- How will we know that it worked?
"""


def _authors(group: WorkingGroup) -> list:
    memberships = (
        Membership.objects.active()
        .filter(working_group=group)
        .select_related("user")
        .order_by("-role", "user__username")  # members and the coordinator first
    )
    people = list(dict.fromkeys(membership.user for membership in memberships))
    return (people * 3)[:3] if people else []


@transaction.atomic
def load() -> None:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    iterations = {}
    for entry in data["iterations"]:
        iteration, _ = Iteration.objects.get_or_create(
            slug=entry["slug"],
            defaults={
                "published_on": date.fromisoformat(entry["published_on"]),
                "position": entry["position"],
                **translated_fields("name", entry["name"]),
            },
        )
        iterations[iteration.slug] = iteration
    second = iterations["second-iteration-2019-09"]
    groups = {group.slug: group for group in WorkingGroup.objects.all()}
    existing = set(Recommendation.objects.values_list("working_group__slug", "number"))
    for entry in data["recommendations"]:
        if (entry["group"], entry["number"]) in existing:
            continue
        group = groups[entry["group"]]
        _draft(group, entry, _authors(group), second)
    _review()
    _translate()
    _synthesis()
    # The reference case's first iterations are past releases: closed, so their sets never
    # change. The last is left open for the demo to publish into.
    for entry in data["iterations"]:
        iteration = iterations[entry["slug"]]
        if iteration.is_open and not entry.get("open"):
            services.iteration_close(iteration=iteration, user=None)


# Partial translations of Advocacy's first three recommendations, written for the demo, so
# that the public pages show the completeness notice and the fallback to English.
DEMO_TRANSLATIONS = {
    "1": {"zh-hans": "透明度", "arz": "الشفافيه"},
    "2": {"zh-hans": "多样性", "arz": "التنوع"},
    "3": {"zh-hans": "全球对话", "arz": "حوار عالمى"},
}
DEMO_PHRASES = {
    "zh-hans": {
        "recommends": "倡导工作组建议:**{title}**。",
        "What we recommend": "## 我们的建议",
        "Why": "## 原因",
        "Open questions": "## 待解决的问题",
    },
    "arz": {
        "recommends": "مجموعة شغل المناصره بتوصى بـ: **{title}**.",
        "What we recommend": "## إحنا بنوصى بإيه",
        "Why": "## ليه",
        "Open questions": "## أسئله مفتوحه",
    },
}


def _translate() -> None:
    from django.contrib.auth import get_user_model

    from .text import translation_units

    translator = get_user_model().objects.filter(username="core").first()
    for number, titles in DEMO_TRANSLATIONS.items():
        recommendation = (
            Recommendation.objects.filter(
                working_group__slug="advocacy", number=number, published_version__isnull=False
            )
            .select_related("published_version__revision")
            .first()
        )
        if recommendation is None or recommendation.translation_sources:
            continue
        source = services.source_text(recommendation.published_version.revision)
        for language, title in titles.items():
            phrases = DEMO_PHRASES[language]
            translations = {"title": title}
            for key, text in translation_units.units(source):
                if key == "body.0":
                    translations[key] = phrases["recommends"].format(title=title)
                elif text.startswith("## ") and text[3:] in phrases:
                    translations[key] = phrases[text[3:]]
            services.translation_save(
                recommendation=recommendation,
                user=translator,
                language=language,
                source=source,
                translations=translations,
            )
            recommendation.refresh_from_db()


def _review() -> None:
    """Advocacy's first recommendation in review, with a reviewer whose review is due in a
    few days, so that `manage.py send_notices` has a reminder to send on any day."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    recommendation = Recommendation.objects.filter(
        working_group__slug="advocacy", number="1"
    ).first()
    if recommendation is None or recommendation.versions.filter(kind="review").exists():
        return
    people = get_user_model().objects.in_bulk(
        ["coordinator", "reviewer", "member"], field_name="username"
    )
    version = services.recommendation_submit_for_review(
        recommendation=recommendation, user=people["coordinator"], name="Review 1"
    )
    services.assignment_create(
        version=version,
        reviewer=people["reviewer"],
        assigned_by=people["coordinator"],
        due_on=timezone.localdate() + timedelta(days=settings.REVIEW_REMINDER_DAYS_BEFORE),
        brief="Is the rationale convincing for small affiliates?",
        cadence="weekly",
    )
    thread = services.thread_start(
        version=version,
        user=people["reviewer"],
        quote="Strategic Direction",
        body="Which part of the Strategic Direction does this serve first?",
    )
    services.comment_reply(
        thread=thread,
        user=people["member"],
        body="Knowledge equity, mostly; we will say so in the next revision.",
    )


def _draft(group, entry, authors, iteration) -> Recommendation:
    first, second, third = authors
    title = entry["title"]
    body = FIRST_BODY.format(group=group.source_name, title=title)
    recommendation = services.recommendation_create(
        working_group=group,
        user=first,
        number=entry["number"],
        title=entry.get("first_title", title),
        summary=f"A draft recommendation of the {group.source_name} working group.",
        body=body,
        edit_summary="First draft",
    )
    for user, changes, summary in (
        (second, {"title": title, "body": body + WHY}, "Add the rationale"),
        (
            third,
            {
                "body": body + WHY + QUESTIONS,
                "summary": f"What the {group.source_name} working group recommends, and why.",
            },
            "Open questions; a clearer summary",
        ),
    ):
        text = {**services.source_text(recommendation), **changes}
        recommendation = services.recommendation_update(
            recommendation=recommendation,
            user=user,
            base_revision=selectors.revision_latest(recommendation=recommendation).history_id,
            edit_summary=summary,
            **text,
        )
    # Published in the second iteration: a frozen version, and a move in the history.
    services.recommendation_publish(recommendation=recommendation, user=third, iteration=iteration)
    recommendation.refresh_from_db()
    return recommendation


# Two of the final recommendations (2020), drafted in the synthesis group from sources
# whose titles say they belong there; the links are the demo's reading, not the record's.
DEMO_SYNTHESIS = [
    (
        "6",
        "Invest in Skills and Leadership Development",
        "投資技能與領導力開發",
        [
            ("capacity-building", "1"),
            ("capacity-building", "9"),
            ("community-health", "3"),
            ("partnerships", "11"),
        ],
    ),
    (
        "3",
        "Provide for Safety and Inclusion",
        "提供安全性和包容性",
        [
            ("community-health", "1"),
            ("community-health", "8"),
            ("diversity", "5"),
        ],
    ),
]


def _synthesis() -> None:
    from django.contrib.auth import get_user_model

    from groups.models import WorkingGroup as Group

    synthesis = Group.objects.filter(slug="synthesis").first()
    writer = get_user_model().objects.filter(username="writer").first()
    if synthesis is None or writer is None or synthesis.recommendations.exists():
        return
    for number, title, title_zh, sources in DEMO_SYNTHESIS:
        synthesized = services.recommendation_create(
            working_group=synthesis,
            user=writer,
            number=number,
            title=title,
            summary="A synthesized recommendation, drafted from the working groups' own.",
            body=f"{title}.\n\nThe writers merged the recommendations listed as its sources.\n",
            edit_summary="First draft of the synthesis",
        )
        synthesized.title_zh_hans = title_zh
        synthesized.save()
        for group, source_number in sources:
            source = (
                Recommendation.objects.filter(
                    working_group__slug=group,
                    number=source_number,
                    published_version__isnull=False,
                )
                .select_related("published_version")
                .first()
            )
            if source:
                services.source_link(
                    synthesized=synthesized,
                    source_version=source.published_version,
                    user=writer,
                    note="Merged: its aim is part of this one.",
                )
