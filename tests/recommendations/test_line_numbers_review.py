"""Line numbers on a review snapshot's page: numbered, citable, with the commented
passages still marked over a line break, at the same queries for a short and a long text."""

import re

import pytest
from django.urls import reverse

from groups.models import Role
from recommendations import services
from recommendations.text.lines import lines_of
from tests.factories import MembershipFactory, review_version

pytestmark = pytest.mark.django_db

LONG_PARAGRAPH = " ".join(f"word{index}" for index in range(40))


@pytest.fixture
def member(working_group, user_factory):
    person = user_factory(first_name="Mei", last_name="Lin")
    MembershipFactory(user=person, working_group=working_group, role=Role.COORDINATOR)
    return person


def test_the_snapshot_is_numbered_and_a_passage_over_a_line_break_stays_marked(
    client, member, working_group, django_capture_on_commit_callbacks
):
    version = review_version(working_group, member, body=f"## Why\n\n{LONG_PARAGRAPH}\n")
    client.force_login(member)
    lines = lines_of(client.get(version.get_absolute_url()).content.decode())
    assert lines[1] == "Why"
    assert lines[2].startswith("word0 ")
    assert lines[3].startswith("word")
    # A quote made of the last word of line 2 and the first of line 3.
    quote = f"{lines[2].split()[-1]} {lines[3].split()[0]}"
    with django_capture_on_commit_callbacks(execute=True):
        thread = services.thread_start(version=version, user=member, body="Why?", quote=quote)
    html = client.get(version.get_absolute_url()).content.decode()
    link = re.escape(thread.get_absolute_url())
    marks = re.findall(rf'<mark class="quoted"><a href="{link}"[^>]*>(.*?)</a></mark>', html)
    assert len(marks) == 2, "marked on both lines"
    assert "".join(marks).split() == quote.split()
    assert lines_of(html) == lines, "marking a passage changes no line"


def test_the_snapshot_says_how_to_cite_it(client, member, working_group):
    version = review_version(working_group, member, body="One line.\n")
    client.force_login(member)
    html = client.get(version.get_absolute_url()).content.decode()
    recommendation = version.recommendation
    name = f"{working_group.name} {recommendation.number}, {version.name}"
    assert f"Cite this version: <cite>{name}</cite>" in html
    assert f'data-cite-range="{name}, lines {{first}}-{{last}}"' in html
    assert '<a class="line-number" href="#L1"' in html


def test_the_working_copy_has_no_line_numbers(client, member, working_group):
    version = review_version(working_group, member, body="One line.\n")
    client.force_login(member)
    html = client.get(version.recommendation.get_absolute_url()).content.decode()
    assert 'class="line"' not in html
    assert "line-number" not in html


def test_the_snapshot_page_reads_the_same_queries_for_2_and_600_lines(
    client, member, working_group, django_assert_num_queries
):
    short = review_version(working_group, member, body="One line.\n\nTwo.\n")
    long = review_version(
        working_group, member, body="\n\n".join([LONG_PARAGRAPH * 2] * 100) + "\n"
    )
    client.force_login(member)
    client.get(reverse("workspace"))  # the session's first request writes its idle limit
    with django_assert_num_queries(14) as first:
        assert len(lines_of(client.get(short.get_absolute_url()).content.decode())) == 2
    with django_assert_num_queries(len(first)):
        assert len(lines_of(client.get(long.get_absolute_url()).content.decode())) > 500
