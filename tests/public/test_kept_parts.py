"""The parts of public pages kept in each process (strategy/fragments.py, the {% kept %} tag):
the home's parts, the feed's entries, what every page's frame shows. A change shows at once
after it commits, drafts never show, each language has its own, and a warm page costs the
same queries at any size."""

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from tests.factories import recommendation as make

from .conftest import publish

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _rendered_each_time(settings):
    settings.PUBLIC_PAGE_CACHE = False  # each request renders: what is kept is what it reuses


def _publish_more(working_group, user, iteration_, count, capture):
    with capture(execute=True):
        for index in range(count):
            publish(make(working_group, user, title=f"More {index}"), user, iteration_)


@pytest.mark.parametrize("url_name", ["home", "feeds:recommendations"])
def test_a_warm_page_reads_nothing_and_a_publication_shows_at_once(
    client,
    published,
    working_group,
    user,
    iterations,
    url_name,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    """Warm, the home and the feed read nothing from the database, with 4 recommendations
    published as with 34; once a publication commits the next request shows it, reading
    again only what it changed."""
    url = reverse(url_name)
    again = {"home": 2, "feeds:recommendations": 1}[url_name]  # the latest (and iterations)
    client.get(url)
    for count, title in ((2, "More 1"), (30, "More 29")):
        _publish_more(working_group, user, iterations[1], count, django_capture_on_commit_callbacks)
        with django_assert_num_queries(again):
            assert title in client.get(url).content.decode()
        with django_assert_num_queries(0):
            html = client.get(url).content.decode()
        assert title in html
        assert "Secret draft" not in html


@pytest.mark.parametrize("url_name", ["home", "feeds:recommendations"])
def test_a_renamed_group_and_a_withdrawal_show_at_once(
    client, published, working_group, user, url_name, django_capture_on_commit_callbacks
):
    from recommendations import services

    url = reverse(url_name)
    assert working_group.name in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        working_group.name_en = "Renamed group"
        working_group.save()
    html = client.get(url).content.decode()
    assert "Renamed group" in html
    assert "Open minutes" in html
    with django_capture_on_commit_callbacks(execute=True):
        services.recommendation_withdraw(
            recommendation=published["minutes"], user=user, reason="Merged."
        )
    assert "Open minutes" not in client.get(url).content.decode()


@pytest.mark.parametrize("url_name", ["home", "feeds:recommendations"])
def test_each_language_has_its_own_parts(client, published, working_group, url_name):
    working_group.name_en = "Advocacy"
    working_group.name_zh_hans = "倡导"
    working_group.save()
    english = client.get(reverse(url_name)).content.decode()
    with translation.override("zh-hans"):
        url = reverse(url_name)
    chinese = client.get(url).content.decode()
    assert "倡导" in chinese
    assert "倡导" not in english
    assert "Advocacy" in english


def test_the_home_says_what_is_now_on_the_day_it_is_read(client, db, monkeypatch):
    """What "now" is kept for is named by the day: a new day reads the phases again."""
    import datetime

    from django.utils import timezone

    from timeline.models import Phase

    today = timezone.localdate()
    Phase.objects.create(
        title_en="Drafting",
        starts_on=today + datetime.timedelta(days=1),
        ends_on=today.replace(year=today.year + 1),
    )
    assert "No phase is under way. Next" in client.get("/").content.decode()
    tomorrow = today + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    html = client.get("/").content.decode()
    assert "No phase is under way" not in html
    assert "Drafting" in html


def test_the_kept_tag_renders_once_per_language_and_parts():
    """The part is rendered once for its name, parts and language, and kept."""
    from strategy import fragments

    fragments.forget()
    calls = []
    template = Template(
        '{% load i18n kept %}{% kept "probe" number %}{% translate "Timeline" %} {{ count }}'
        "{% endkept %}"
    )

    def count():
        calls.append(1)
        return len(calls)

    assert template.render(Context({"number": 1, "count": count})) == "Timeline 1"
    assert template.render(Context({"number": 1, "count": count})) == "Timeline 1"
    assert template.render(Context({"number": 2, "count": count})) == "Timeline 2"
    with translation.override("zh-hans"):
        assert template.render(Context({"number": 1, "count": count})) == "时间线 3"


def test_the_frame_shows_the_signed_in_persons_own_header(client, published, user):
    """The kept parts of the frame are the same for everyone: the header's own part stays
    the signed-in person's."""
    assert "Sign in" in client.get("/").content.decode()
    client.force_login(user)
    html = client.get("/").content.decode()
    assert "Sign in" not in html
    assert "Sign out" in html


def _page(client, recommendation, language=""):
    with translation.override(language or "en"):
        url = recommendation.get_public_url()
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_recommendations_page_shows_a_translation_and_a_new_iteration_at_once(
    client, published, user, iterations, django_capture_on_commit_callbacks
):
    """Its kept text is under the recommendation's updated_at and its published version:
    a translation saved, and a publication in another iteration, show on the next request;
    the draft wording written meanwhile never does."""
    from tests.public.test_translations import translate

    minutes = published["minutes"]
    assert "公开会议纪要" not in _page(client, minutes, "zh-hans")
    assert "Open minutes" in _page(client, minutes)
    with django_capture_on_commit_callbacks(execute=True):
        translate(minutes, user, "zh-hans", title="公开会议纪要")
    chinese = _page(client, minutes, "zh-hans")
    assert '<h1 dir="auto">公开会议纪要' in chinese
    assert "公开会议纪要" not in _page(client, minutes)
    with django_capture_on_commit_callbacks(execute=True):
        publish(minutes, user, iterations[0], title="Open minutes, revised")
    html = _page(client, minutes)
    assert "Open minutes, revised" in html
    assert "First draft, August 2019" in html
    with django_capture_on_commit_callbacks(execute=True):
        from recommendations import selectors, services

        services.recommendation_update(
            recommendation=minutes,
            user=user,
            **{**services.source_text(minutes), "title": "Secret new wording"},
            base_revision=selectors.revision_latest(recommendation=minutes).history_id,
        )
    html = _page(client, minutes)
    assert "Secret new wording" not in html
    assert "Open minutes, revised" in html


def test_a_recommendations_page_shows_its_group_renamed_at_once(
    client, published, working_group, django_capture_on_commit_callbacks
):
    hub = published["hub"]
    _page(client, hub)
    with django_capture_on_commit_callbacks(execute=True):
        working_group.name_en = "Renamed group"
        working_group.save()
    assert "Renamed group" in _page(client, hub)


@pytest.mark.parametrize("paragraphs", [2, 40])
def test_a_warm_recommendations_page_reads_the_same_whatever_its_size(
    client, working_group, user, iterations, paragraphs, django_assert_num_queries
):
    """Warm, its page reads nothing (the recommendation an address names is kept, and
    every part), with 2 paragraphs as with 40."""
    body = "\n\n".join(f"Paragraph {number}." for number in range(paragraphs)) + "\n"
    recommendation = publish(
        make(working_group, user, title="Long", body=body), user, iterations[1]
    )
    _page(client, recommendation)
    with django_assert_num_queries(WARM_RECOMMENDATION_QUERIES):
        html = _page(client, recommendation)
    assert f"Paragraph {paragraphs - 1}." in html


# The recommendation, and what the page shows of it, its feedback included, are kept
# (measured).
WARM_RECOMMENDATION_QUERIES = 0


def test_feedback_shows_at_once_and_a_warm_page_reads_the_same_with_more_of_it(
    client,
    working_group,
    user,
    user_factory,
    iterations,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    """The public record of feedback is kept under the generations of what it is read from:
    a comment, a reply, a hidden comment and an author renamed show on the next request;
    warm, the page reads the same with 1 thread as with 12."""
    from recommendations import services
    from tests.factories import CoreTeamFactory

    recommendation = publish(make(working_group, user, title="Talked about"), user, iterations[1])
    version = recommendation.published_version
    reader = user_factory(first_name="Ada", last_name="Reader")
    _page(client, recommendation)
    with django_capture_on_commit_callbacks(execute=True):
        thread = services.thread_start(
            version=version, user=reader, body="First thought.", public=True
        )
    assert "First thought." in _page(client, recommendation)
    with django_assert_num_queries(WARM_RECOMMENDATION_QUERIES):
        _page(client, recommendation)
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_reply(thread=thread, user=reader, body="A reply.")
    assert "2 comments" in _page(client, recommendation)
    with django_capture_on_commit_callbacks(execute=True):
        reader.first_name = "Grace"
        reader.save()
    assert "Grace Reader" in _page(client, recommendation)
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_hide(
            comment=thread.comments.order_by("pk").first(), user=CoreTeamFactory(), reason="Spam"
        )
    assert "Hidden by the moderators: Spam" in _page(client, recommendation)
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(11):
            services.thread_start(
                version=version, user=reader, body=f"Thought {number}.", public=True
            )
    assert "Thought 10." in _page(client, recommendation)
    with django_assert_num_queries(WARM_RECOMMENDATION_QUERIES):
        _page(client, recommendation)


def test_the_compare_page_shows_a_new_publication_a_withdrawal_and_a_renamed_group_at_once(
    client, published, user, settings, django_capture_on_commit_callbacks
):
    """Kept warm with no query, the compare page still follows what it shows: a newer
    iteration, a withdrawal (then 404), a group's new name; drafts never show."""
    from recommendations import services
    from tests.factories import iteration

    settings.PUBLIC_PAGE_CACHE = False
    hub = published["hub"]
    url = reverse("public:compare", args=[hub.working_group.slug, hub.number])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        publish(hub, user, iteration("later", "Later round"), body="Every region hires two.\n")
    html = client.get(url).content.decode()
    assert "Later round" in html
    assert "two" in html
    group = hub.working_group
    with django_capture_on_commit_callbacks(execute=True):
        group.name_en = "Advocacy and campaigns"
        group.save()
    assert "Advocacy and campaigns" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.recommendation_withdraw(recommendation=hub, user=user, reason="Merged")
    assert client.get(url).status_code == 404
    draft = published["draft"]
    assert (
        client.get(
            reverse("public:compare", args=[draft.working_group.slug, draft.number])
        ).status_code
        == 404
    )
