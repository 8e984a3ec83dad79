"""A data set at a chosen multiple of the reference case, written fast, for load tests.

At its full size (the defaults of `Size`) it is about 100 times the reference case: nine
thematic groups and the synthesis group, 1,000 members, 10,000 recommendations with 20
revisions each, three published iterations, translations into three languages for a third
of them, a review thread of 1,000 comments, a version with 200 threads one of which has
10,000 comments, and 50,000 notices.

Rows are streamed into PostgreSQL with COPY, history rows too, with their ids chosen here,
in one transaction (foreign keys are checked at commit). Nothing goes through save(), so no
signal fires: the public page cache is invalidated once at the end.
"""

import io
import json
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.urls import reverse
from simple_history.utils import bulk_create_with_history

from groups.demo import EXTRA_FIRST
from groups.models import Affiliation, Membership, Role, WorkingGroup
from public import pdfs
from public.caching import content_changed
from recommendations.models import (
    Comment,
    Iteration,
    Recommendation,
    Thread,
    Version,
    source_field,
)
from recommendations.services.review import versions_index_for_search
from recommendations.services.translations import translated_body
from recommendations.text import translation_units
from recommendations.text.numbering import number_order
from strategy.models import Notice, Topic
from strategy.source_language import source_language

# The languages a third of the recommendations are translated into.
TRANSLATED_LANGUAGES = ("zh-hans", "arz", "de")
THIRD_ITERATION = {
    "slug": "third-iteration-2020-01",
    "name": "Third iteration, January 2020",
    "published_on": date(2020, 1, 20),
    "position": 3,
}
START = datetime(2019, 3, 1, 9, 0, tzinfo=UTC)

WORDS = (
    "access advocacy affiliates allies archives barriers capacity change collaboration "
    "commons communities community content contributors culture data decisions diversity "
    "donors editors education equity events evaluation experience funding gaps governance "
    "growth harassment health inclusion infrastructure innovation institutions knowledge "
    "languages leadership learning libraries local mentoring movement networks newcomers "
    "oversight participation partners partnerships people platforms policy power process "
    "projects quality readers regions research resources responsibility revenue roles "
    "safety skills software stakeholders strategy structures support sustainability "
    "technology tools training transparency trust volunteers wikis women world"
).split()
# Each recommendation is about two of these, which its paragraphs name: a search for one
# finds a few hundred recommendations, not all of them.
TOPICS = (
    "accessibility accountability alliances ambassadors analytics annotation arbitration "
    "attribution audiences awards bandwidth benchmarks bibliographies biodiversity bots "
    "broadband budgets bylaws campaigns censorship certification charters citations "
    "civility coaching cohorts commissions compensation compliance conferences "
    "connectivity consensus conservation copyright curation dashboards deliberation "
    "demographics dialects digitization disinformation documentation elections "
    "endowments ethics exhibitions facilitation fellowships folklore forums gazetteers "
    "genealogy glossaries grants guidelines hackathons handbooks heritage hosting hubs "
    "indigenous internships interoperability journalism jurisdictions licensing "
    "linguistics literacy localization maps mediation metadata migration moderation "
    "monuments museums neutrality newsletters offline onboarding ombudsperson orientation "
    "patrolling photography pilots podcasts portals privacy provenance publishers quizzes "
    "radio referendums refugees repositories residencies retention sandboxes scholarships "
    "semantics stewardship storytelling surveys taxonomies templates terminology "
    "textbooks thesauri toolkits tutorials universities usability verification videos "
    "vocabularies webinars workshops"
).split()
FILLER = "a the of for and to in with by more every each its our their across".split()
SCRIPTS = {
    "zh-hans": "知识 社区 平等 参与 治理 资源 多样性 伙伴 志愿者 透明 支持 技术 语言".split(),
    "arz": "المعرفه المجتمع المساواه المشاركه الحوكمه الموارد التنوع المتطوعين".split(),
    "de": "Wissen Gemeinschaft Teilhabe Vielfalt Ressourcen Partner Freiwillige".split(),
}


@dataclass(frozen=True)
class Size:
    members: int = 1000
    recommendations: int = 10000
    revisions: int = 20
    comments: int = 1000
    # The version whose page must stay quick however long its threads: one thread of
    # `long_comments` comments among `threads` threads.
    long_comments: int = 10000
    threads: int = 200
    notices: int = 50000


class Writer:
    """Streams rows into a table with COPY, in chunks, choosing their ids."""

    CHUNK = 5000

    def __init__(self, cursor, model):
        self.cursor = cursor
        self.table = model._meta.db_table
        self.columns = [field.column for field in model._meta.concrete_fields]
        # The primary key: "id", or "history_id" in a history table.
        id_column = self.id_column = model._meta.pk.column
        cursor.execute(f'SELECT COALESCE(MAX("{id_column}"), 0) FROM "{self.table}"')  # noqa: S608
        self.next_id = cursor.fetchone()[0] + 1
        self.rows: list[str] = []
        self.count = 0

    def add(self, **values) -> int:
        """Queue a row and return its id."""
        row_id = values.setdefault(self.id_column, self.next_id)
        self.next_id = max(self.next_id, row_id + 1)
        self.rows.append("\t".join(_copy_value(values[column]) for column in self.columns))
        if len(self.rows) >= self.CHUNK:
            self.flush()
        return row_id

    def flush(self) -> None:
        if not self.rows:
            return
        names = ", ".join(f'"{column}"' for column in self.columns)
        data = io.StringIO("\n".join(self.rows) + "\n")
        self.cursor.copy_expert(f'COPY "{self.table}" ({names}) FROM STDIN', data)
        self.count += len(self.rows)
        self.rows = []


def _add_created(rows: Writer, history: Writer, row: dict, *, when, user_id) -> int:
    """A row, and the history row that records its creation; returns its id."""
    row_id = rows.add(**row)
    history.add(
        id=row_id,
        **row,
        history_date=when,
        history_change_reason="",
        history_type="+",
        history_user_id=user_id,
    )
    return row_id


def _copy_value(value) -> str:
    """A value in COPY's text format."""
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    value = str(value)
    if "\\" in value:
        value = value.replace("\\", "\\\\")
    return value.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


class Text:
    """Plausible recommendation text, and its revisions: each changes a few words."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def sentence(self, words: int) -> str:
        picked = [
            self.rng.choice(WORDS) if i % 3 else self.rng.choice(FILLER) for i in range(words)
        ]
        return " ".join(picked).capitalize() + "."

    def paragraph(self, topic: str = "") -> str:
        sentences = [self.sentence(self.rng.randint(8, 16)) for _ in range(4)]
        if topic:
            sentences[self.rng.randrange(4)] = self.sentence(6)[:-1] + f" {topic}."
        return " ".join(sentences)

    def title(self) -> str:
        return " ".join(self.rng.sample(WORDS, 3)).capitalize()

    def body(self) -> list[str]:
        """The body as units (paragraphs and headings), so revisions can touch one."""
        questions = "\n".join(f"- {self.sentence(8)[:-1]}?" for _ in range(3))
        first, second = self.rng.sample(TOPICS, 2)
        return [
            "## What we recommend",
            self.paragraph(first),
            self.paragraph(second),
            "## Why",
            self.paragraph(first),
            self.paragraph(),
            "## Open questions",
            questions,
        ]

    def revise(self, units: list[str]) -> list[str]:
        """A few words changed in one paragraph, and now and then a sentence added."""
        units = list(units)
        index = self.rng.choice([1, 2, 4, 5])
        words = units[index].split(" ")
        for _ in range(3):
            words[self.rng.randrange(len(words))] = self.rng.choice(WORDS)
        if self.rng.random() < 0.3:
            words.append(self.sentence(10))
        units[index] = " ".join(words)
        return units

    def translation(self, language: str, source_units: list[tuple[str, str]]) -> dict[str, str]:
        """A stand-in translation, unit by unit, in the language's script."""
        vocabulary = SCRIPTS[language]
        joiner = "" if language == "zh-hans" else " "
        found = {}
        for key, text in source_units:
            if text.startswith("## "):
                found[key] = "## " + joiner.join(self.rng.sample(vocabulary, 2))
            else:
                length = max(3, len(text.split()) // 2)
                found[key] = joiner.join(self.rng.choice(vocabulary) for _ in range(length))
        return found


def generate(size: Size = Size(), *, seed: int = 2019, log=print) -> dict[str, int]:
    """Fill an empty database (groups from the reference case, then everything else) and
    return how many rows each table received."""
    from groups import demo as groups_demo
    from recommendations import demo as recommendations_demo
    from timeline import demo as timeline_demo

    if connection.vendor != "postgresql":
        raise RuntimeError("The scale data set is written with COPY: it needs PostgreSQL.")
    if Recommendation.objects.exists():
        raise RuntimeError(
            f"This database already has {Recommendation.objects.count()} recommendations; "
            "the scale data set fills an empty one (migrate a new database first)."
        )
    rng = random.Random(seed)
    # The iterations' PDFs are checked once each at the end (the reference case's
    # publications would each ask for a check of every language).
    with pdfs.checks_deferred():
        groups_demo.load()
        iterations = _iterations(recommendations_demo)
        timeline_demo.load()
        with transaction.atomic(), connection.cursor() as cursor:
            people = _people(cursor, size, rng)
            counts = {"members": people["members"]}
            counts.update(_recommendations(cursor, size, rng, iterations, people))
            _reset_sequences(cursor)
            counts["comments"] = _thread(cursor, size, rng, people) + _long_threads(
                cursor, size, rng, people
            )
            counts.update(_notices(cursor, size, rng, people))
            log("Indexing the published text for search…")
            versions_index_for_search(versions=Version.objects.filter(kind=Version.Kind.ITERATION))
            _reset_sequences(cursor)
            log("Counting the translations…")
            # Written around the services, as a site upgraded to stored counts would be.
            call_command("translation_progress_fill", stdout=io.StringIO())
        if not connection.in_atomic_block:
            # As autovacuum would soon: statistics for the planner, and the visibility map.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        content_changed()
    return counts


def _iterations(recommendations_demo) -> list[Iteration]:
    from strategy.demo import translated_fields

    data = json.loads(recommendations_demo.DATA_FILE.read_text(encoding="utf-8"))
    # The reference case's past releases (the demo's open one is left out), then a third.
    entries = [
        {**entry, "published_on": date.fromisoformat(entry["published_on"])}
        for entry in data["iterations"]
        if not entry.get("open")
    ] + [{**THIRD_ITERATION, "name": {"en": THIRD_ITERATION["name"]}}]
    iterations = []
    for entry in entries:
        iteration, _ = Iteration.objects.get_or_create(
            slug=entry["slug"],
            defaults={
                "published_on": entry["published_on"],
                "position": entry["position"],
                **translated_fields("name", entry["name"]),
            },
        )
        iterations.append(iteration)
    return iterations


def _people(cursor, size: Size, rng: random.Random) -> dict:
    """Members spread over the groups: coordinators and members in the thematic groups,
    writers, connectors and reviewers in the synthesis group."""
    user_model = get_user_model()
    password = make_password(None)
    users = Writer(cursor, user_model)
    memberships = Writer(cursor, Membership)
    history = Writer(cursor, Membership.history.model)
    groups = list(
        WorkingGroup.objects.filter(
            kind__in=[WorkingGroup.Kind.THEMATIC, WorkingGroup.Kind.SYNTHESIS]
        ).order_by("position")
    )
    synthesis_roles = [Role.WRITER, Role.CONNECTOR, Role.REVIEWER]
    joined = date(2018, 7, 20)
    by_group: dict[int, list[int]] = {group.pk: [] for group in groups}
    for index in range(size.members):
        group = groups[index % len(groups)]
        # One membership each, which records the affiliation the person states.
        affiliation = rng.choice(list(Affiliation))
        user_id = users.add(
            password=password,
            last_login=None,
            is_superuser=False,
            username=f"scale-{index + 1:05d}",
            first_name=rng.choice(EXTRA_FIRST),
            last_name=f"Member {index + 1}",
            email=f"scale-{index + 1:05d}@example.org",
            is_staff=False,
            is_active=True,
            date_joined=START,
            language=rng.choice(["", "", "en", "zh-hans", "arz", "de"]),
            affiliation=affiliation,
            organization="",
            # One member in ten volunteers to translate (not drawn: the draws stay as they were).
            translates_into=(
                ([["zh-hans"], ["arz", "de"]][index // 10 % 2]) if index % 10 == 0 else []
            ),
            # Half the volunteers for Chinese are its assigned proofreaders.
            proofreads=["zh-hans"] if index % 20 == 0 else [],
        )
        seat = len(by_group[group.pk])
        if group.kind == WorkingGroup.Kind.SYNTHESIS:
            role = synthesis_roles[seat % len(synthesis_roles)]
        else:
            role = Role.COORDINATOR if seat == 0 else Role.MEMBER
        row = {
            "role": role,
            "affiliation": affiliation,
            "joined_on": joined,
            "left_on": None,
            "user_id": user_id,
            "working_group_id": group.pk,
        }
        _add_created(memberships, history, row, when=START, user_id=None)
        by_group[group.pk].append(user_id)
    for writer in (users, memberships, history):
        writer.flush()
    demo_members = dict(
        Membership.objects.filter(user__username__in=["member", "coordinator", "writer"])
        .values_list("working_group_id", "user_id")
        .distinct()
    )
    for group_id, user_id in demo_members.items():
        if group_id in by_group:
            by_group[group_id].append(user_id)
    return {
        "members": users.count,
        "groups": groups,
        "by_group": by_group,
        "all": [user_id for ids in by_group.values() for user_id in ids],
    }


def _recommendations(cursor, size, rng, iterations, people) -> dict[str, int]:
    """Recommendations with every revision in the history, and the versions the iterations
    and reviews froze. All are in the first iteration; most are in all three; some are in
    review, with a review snapshot of their latest text."""
    history_model = Recommendation.history.model
    recommendations = Writer(cursor, Recommendation)
    history = Writer(cursor, history_model)
    versions = Writer(cursor, Version)
    text = Text(rng)
    groups = people["groups"]
    per_group = -(-size.recommendations // len(groups))
    languages = [(code, code.replace("-", "_")) for code, _ in _languages()]
    revisions = size.revisions
    # The revision (1 = the first) each published iteration froze: 6, 13 and 20 of 20.
    frozen = (round(revisions * 0.3), round(revisions * 0.65), revisions)
    made = 0
    for group in groups:
        authors = people["by_group"][group.pk]
        for number in range(1, per_group + 1):
            if made == size.recommendations:
                break
            made += 1
            rec_id = recommendations.next_id
            in_review = made % 7 == 0
            translated = made % 3 == 0
            title = text.title()
            summary = text.sentence(14)
            units = text.body()
            when = START + timedelta(minutes=made)
            published_in = published_version = None
            for revision in range(1, revisions + 1):
                last = revision == revisions
                if revision > 1:
                    units = text.revise(units)
                    when += timedelta(days=rng.randint(1, 6), minutes=rng.randint(0, 600))
                if revision == 11:
                    summary = text.sentence(16)
                body = "\n\n".join(units)
                author = rng.choice(authors)
                state = Recommendation.State.DRAFT
                # Publishing in an iteration freezes the revision it makes.
                iteration = None
                if revision in frozen and not (in_review and last):
                    iteration = iterations[frozen.index(revision)]
                    published_in, published_version = iteration.pk, versions.next_id
                if published_in:
                    state = Recommendation.State.PUBLISHED
                if in_review and last:
                    state = Recommendation.State.IN_REVIEW
                row = {
                    "id": rec_id,
                    "number": str(number),
                    "number_order": number_order(str(number)),
                    "rank": number,
                    "working_group_id": group.pk,
                    "state": state,
                    "created_at": START + timedelta(minutes=made),
                    "updated_at": when,
                    "updated_by_id": author,
                    "last_published_in_id": published_in,
                    "published_version_id": published_version,
                    "translation_sources": {},
                    **_text_columns(languages, title, summary, body),
                }
                if translated and last:
                    row.update(_translate(text, title, summary, body))
                history_id = history.add(
                    **row,
                    history_date=when,
                    history_change_reason=f"Revision {revision}",
                    history_type="+" if revision == 1 else "~",
                    history_user_id=author,
                )
                if iteration or (in_review and last):
                    versions.add(
                        recommendation_id=rec_id,
                        revision_id=history_id,
                        kind=Version.Kind.ITERATION if iteration else Version.Kind.REVIEW,
                        iteration_id=iteration.pk if iteration else None,
                        name=iteration.source_name if iteration else "Review of the latest draft",
                        open_to_all_reviewers=not iteration,
                        created_at=when,
                        created_by_id=author,
                    )
            recommendations.add(**row)
    for writer in (recommendations, history, versions):
        writer.flush()
    return {
        "recommendations": recommendations.count,
        "revisions": history.count,
        "versions": versions.count,
    }


def _languages():
    from django.conf import settings

    return settings.LANGUAGES


def _text_columns(languages, title, summary, body) -> dict[str, str]:
    """The source text in its own columns and in the original fields; no translation."""
    values = {"title": title, "summary": summary, "body": body}
    columns = dict(values)
    for name, value in values.items():
        for code, suffix in languages:
            columns[f"{name}_{suffix}"] = value if code == source_language() else ""
    return columns


def _translate(text: Text, title: str, summary: str, body: str) -> dict:
    """Translated columns and the fingerprints of the source units they were made from."""
    source = {"title": title, "summary": summary, "body": body}
    source_units = translation_units.units(source)
    columns, sources = {}, {}
    for language in TRANSLATED_LANGUAGES:
        suffix = language.replace("-", "_")
        translated = text.translation(language, source_units)
        columns[f"title_{suffix}"] = translated["title"]
        columns[f"summary_{suffix}"] = translated["summary"]
        columns[f"body_{suffix}"] = translated_body(source, translated)
        sources[language] = {
            key: {"fp": translation_units.fingerprint(unit), "source": unit}
            for key, unit in source_units
        }
    columns["translation_sources"] = sources
    return columns


def _thread(cursor, size, rng, people) -> int:
    """One review snapshot of the first group's first recommendation, with a thread of
    `size.comments` comments on a passage of it."""
    recommendation = Recommendation.objects.filter(working_group=people["groups"][0]).earliest("pk")
    version, passage = _review_version(recommendation, "Review with a long discussion")
    thread = Thread.objects.create(version=version, **passage)
    return _comments(cursor, rng, people, [thread.pk] * size.comments)


def _long_threads(cursor, size, rng, people) -> int:
    """One review snapshot of the first group's second recommendation with `size.threads`
    threads: the first on a passage with `size.long_comments` comments, the others on the
    whole with two comments each."""
    recommendation = Recommendation.objects.filter(working_group=people["groups"][0]).order_by(
        "pk"
    )[1]
    version, passage = _review_version(recommendation, "Review with a very long discussion")
    first = Thread.objects.create(version=version, **passage)
    others = bulk_create_with_history(
        [Thread(version=version) for _ in range(max(0, size.threads - 1))], Thread
    )
    threads = [first.pk] * size.long_comments + [thread.pk for thread in others for _ in range(2)]
    return _comments(cursor, rng, people, threads)


def _review_version(recommendation, name: str) -> tuple[Version, dict]:
    """A review snapshot of `recommendation`'s latest revision, open to every reviewer,
    and a passage of its body to quote (Thread's quote fields)."""
    revision = recommendation.history.order_by("-history_id").first()
    version = Version.objects.create(
        recommendation=recommendation,
        revision=revision,
        kind=Version.Kind.REVIEW,
        name=name,
        open_to_all_reviewers=True,
    )
    body = getattr(revision, source_field("body"))
    start = body.index("\n\n", 0) + 2
    return version, {
        "quote": body[start : start + 80],
        "quote_prefix": body[max(0, start - 32) : start],
        "quote_suffix": body[start + 80 : start + 112],
        "quote_start": start,
    }


def _comments(cursor, rng, people, thread_ids: list[int]) -> int:
    """A comment (and its history row) on each of `thread_ids` in turn, seven minutes
    apart, by members of the first group; returns how many were written."""
    comments = Writer(cursor, Comment)
    history = Writer(cursor, Comment.history.model)
    authors = people["by_group"][people["groups"][0].pk]
    text = Text(rng)
    for index, thread_id in enumerate(thread_ids):
        when = START + timedelta(days=200, minutes=index * 7)
        row = {
            "thread_id": thread_id,
            "author_id": rng.choice(authors),
            "body": " ".join(text.sentence(rng.randint(6, 20)) for _ in range(2)),
            "created_at": when,
            "edited_at": None,
            "hidden_reason": "",
            "hidden_by_id": None,
        }
        _add_created(comments, history, row, when=when, user_id=row["author_id"])
    comments.flush()
    history.flush()
    return comments.count


def _notices(cursor, size, rng, people) -> dict[str, int]:
    """A ledger of notices already sent (most) or turned off, some read, some not."""
    notices = Writer(cursor, Notice)
    recipients = people["all"]
    states = [Notice.State.SENT] * 8 + [Notice.State.DIGESTED, Notice.State.OFF]
    reviews = reverse("reviews")
    for index in range(size.notices):
        when = START + timedelta(minutes=index * 3)
        state = rng.choice(states)
        notices.add(
            key=f"scale:{index}",
            recipient_id=recipients[index % len(recipients)],
            email="",
            topic=rng.choice([Topic.REVIEWS, Topic.MILESTONES]),
            kind="milestone" if index % 2 else "review_reminder",
            subject=f"Reminder {index + 1}: a review is due",
            body="A review you accepted is due soon. Open it to comment.",
            url=reviews,
            language="",
            state=state,
            attempts=1 if state == Notice.State.SENT else 0,
            last_error="",
            about_key="",
            about="",
            gather_key="",
            send_after=None,
            digest_id=None,
            created_at=when,
            claimed_at=when if state == Notice.State.SENT else None,
            sent_at=when if state == Notice.State.SENT else None,
            read_at=when if index % 4 else None,
        )
    notices.flush()
    return {"notices": notices.count}


def _reset_sequences(cursor) -> None:
    written = [
        get_user_model(),
        Membership,
        Membership.history.model,
        Recommendation,
        Recommendation.history.model,
        Version,
        Comment,
        Comment.history.model,
        Notice,
    ]
    for statement in connection.ops.sequence_reset_sql(no_style(), written):
        cursor.execute(statement)
