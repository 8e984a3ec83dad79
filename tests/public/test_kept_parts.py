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
