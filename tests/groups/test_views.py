import pytest
from django.urls import reverse
from django.utils import translation

from groups.models import FormerName, GuidingQuestion, Role

pytestmark = pytest.mark.django_db


def make_groups(count, members_each, working_group_factory, membership_factory):
    groups = working_group_factory.create_batch(count)
    for group in groups:
        GuidingQuestion.objects.create(working_group=group, text_en="What changes are needed?")
        FormerName.objects.create(working_group=group, name="Old name", reason_en="Renamed.")
        membership_factory.create_batch(members_each, working_group=group)
        membership_factory(working_group=group, role=Role.COORDINATOR)
    return groups


@pytest.mark.parametrize(
    ("url_name", "queries", "changed"), [("home", 5, 3), ("public:groups", 1, 1)]
)
def test_group_lists_run_the_same_queries_at_any_size(
    client,
    django_assert_num_queries,
    working_group_factory,
    membership_factory,
    url_name,
    queries,
    changed,
    django_capture_on_commit_callbacks,
):
    """Query count of the home page and the group list does not grow with groups or members.
    Once the groups change, the home reads again the parts that show them (the groups, the
    latest with their groups' names and the iterations beside them); what is "now" stays
    kept (strategy/fragments.py)."""
    make_groups(2, 2, working_group_factory, membership_factory)
    with django_assert_num_queries(queries):
        small = client.get(reverse(url_name))
    with django_capture_on_commit_callbacks(execute=True):
        make_groups(20, 15, working_group_factory, membership_factory)
    with django_assert_num_queries(changed):
        large = client.get(reverse(url_name))
    assert small.status_code == large.status_code == 200
    assert large.content.decode().count('class="card"' if url_name == "home" else "<tr>") >= 22


def test_group_page_runs_the_same_queries_at_any_size(
    client, django_assert_num_queries, working_group_factory, membership_factory
):
    """The group page's query count does not grow with its members, questions or names
    (two queries more for its published recommendations and their count)."""
    small, large = make_groups(2, 1, working_group_factory, membership_factory)
    for index in range(40):
        membership_factory(working_group=large, role=Role.MEMBER)
        GuidingQuestion.objects.create(working_group=large, text_en=f"Question {index}?")
    with django_assert_num_queries(8):
        client.get(small.get_absolute_url())
    with django_assert_num_queries(8):
        response = client.get(large.get_absolute_url())
    assert response.content.decode().count('class="person"') == 42


def test_group_page_shows_scope_members_mailing_list_and_former_names(
    client, working_group, membership_factory, user_factory
):
    person = user_factory(first_name="Amara", last_name="Silva")
    membership_factory(user=person, working_group=working_group, role=Role.WRITER)
    membership_factory(user=person, working_group=working_group, role=Role.REVIEWER)
    GuidingQuestion.objects.create(working_group=working_group, text_en="Who is missing?")
    FormerName.objects.create(
        working_group=working_group,
        name="Technology",
        renamed_on="2018-04-22",
        reason_en="The scope is wider than technology.",
    )
    html = client.get(working_group.get_absolute_url()).content.decode()
    assert working_group.scope in html
    assert "Who is missing?" in html
    assert f'href="mailto:{working_group.mailing_list}"' in html
    assert "Technology" in html
    assert "until April 2018" in html
    assert "The scope is wider than technology." in html
    # One person with two roles is listed once, with both.
    assert html.count("Amara Silva") == 1
    assert "Writer, Reviewer" in html or "Reviewer, Writer" in html
    # E-mail addresses of people are never shown.
    assert person.email not in html


def test_people_who_left_are_not_listed(client, working_group, membership_factory, user_factory):
    gone = user_factory(first_name="Gone", last_name="Away")
    membership_factory(
        user=gone, working_group=working_group, joined_on="2018-07-20", left_on="2019-11-01"
    )
    assert "Gone Away" not in client.get(working_group.get_absolute_url()).content.decode()


def test_unknown_group_is_404(client):
    assert client.get("/groups/no-such-group/").status_code == 404


@pytest.mark.parametrize(
    ("prefix", "lang", "direction", "heading"),
    [
        ("", "en", "ltr", "Mailing list"),
        ("/zh-hans", "zh-hans", "ltr", "邮件列表"),
        ("/arz", "arz", "rtl", "القايمه البريديه"),
    ],
)
def test_group_page_in_each_language(client, working_group, prefix, lang, direction, heading):
    working_group.name_zh_hans = "倡导"
    working_group.save()
    html = client.get(f"{prefix}/groups/{working_group.slug}/").content.decode()
    assert f'<html lang="{lang}" dir="{direction}">' in html
    assert heading in html
    # Chinese has its own name; Egyptian Arabic falls back to the English one.
    assert ("倡导" in html) == (lang == "zh-hans")


def test_language_switcher_links_to_the_same_page(client, working_group):
    html = client.get(working_group.get_absolute_url()).content.decode()
    for prefix in ("/zh-hans", "/arz", "/de", "/fr", "/es"):
        assert f'href="{prefix}/groups/{working_group.slug}/"' in html
    with translation.override("en"):
        assert reverse("public:group", args=[working_group.slug]).startswith("/groups/")


def test_health_check_answers(client):
    response = client.get("/healthz")
    assert response.json() == {"status": "ok"}
