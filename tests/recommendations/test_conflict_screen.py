"""The conflict screen (item 16 of issue 20): whole-line markers, both sides kept after a
refused save, what differs marked, and each error once with one id."""

import re

import pytest
from django.urls import reverse

from recommendations import selectors, services
from tests.factories import MembershipFactory
from tests.factories import recommendation as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def conflict(client, member, working_group, user_factory):
    """Kofi saved "- A global hub" while Mei typed "- A regional hub" over "- A hub"; Mei's
    save answered with the conflict screen."""
    other = user_factory(first_name="Kofi", last_name="Mensah")
    MembershipFactory(user=other, working_group=working_group)
    recommendation = make(working_group, member, body="Intro.\n\n- A hub\n- B\n")
    base = selectors.revision_latest(recommendation=recommendation).history_id
    services.recommendation_update(
        recommendation=recommendation, user=other, title=recommendation.title_en,
        summary=recommendation.summary_en, body="Intro.\n\n- A global hub\n- B\n",
        base_revision=base,
    )  # fmt: skip
    client.force_login(member)
    url = reverse("recommendations:edit", args=[recommendation.pk])
    yours = {
        "title": recommendation.title_en,
        "summary": recommendation.summary_en,
        "body": "Intro.\n\n- A regional hub\n- B\n",
    }
    response = client.post(url, {**yours, "base_revision": base, "save": "1"})
    assert response.status_code == 409
    return {"url": url, "html": response.content.decode(), "yours": yours, "response": response}


def _field(html: str, name: str) -> str:
    found = re.search(rf'<textarea name="{name}"[^>]*>\n?(.*?)</textarea>', html, re.S)
    return found.group(1).replace("&lt;", "<").replace("&gt;", ">")


def test_the_conflict_screen_marks_what_differs_between_theirs_and_yours(conflict):
    html = conflict["html"]
    assert "What differs" in html
    assert "- A <del>global</del><ins>regional</ins> hub" in html


def test_the_merge_keeps_each_conflicting_line_whole(conflict):
    merged = _field(conflict["html"], "body")
    lines = merged.splitlines()
    # The markers' labels name the two sides; every other line is whole.
    assert lines[0:2] == ["Intro.", ""]
    assert lines[2].startswith("<<<<<<< ")
    assert lines[3:6] == ["- A global hub", "=======", "- A regional hub"]
    assert lines[6].startswith(">>>>>>> ")
    assert lines[7:] == ["- B"]


def test_a_refused_save_of_the_merge_keeps_both_texts_and_one_error(client, conflict):
    """The probe: saving the merge with its markers left showed the plain editor: the
    "their text / your text" panels were gone."""
    form = conflict["response"].context["form"]
    posted = {
        **{name: form.initial[name] for name in ("title", "summary", "body")},
        "base_revision": form.initial["base_revision"],
        "resolving": "1",
        **{f"yours_{name}": value for name, value in conflict["yours"].items()},
        "save": "1",
    }
    response = client.post(conflict["url"], posted)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Their text (saved)" in html
    assert "- A global hub" in html.split("Their text (saved)")[1].split("Your text")[0]
    assert "- A regional hub" in html.split("Your text")[1]
    assert "conflict markers (&lt;&lt;&lt;&lt;&lt;&lt;&lt; and" in html
    assert html.count('id="id_body_error"') == 1
    assert html.count("The text still has conflict markers") == 1
    assert "In 1 place you both changed the same words" in html


def test_the_size_limit_error_once_with_one_id(client, member, working_group, settings):
    settings.RECOMMENDATION_BODY_LIMIT_KB = 1
    recommendation = make(working_group, member)
    client.force_login(member)
    body = "A long text. " * 200
    response = client.post(
        reverse("recommendations:edit", args=[recommendation.pk]),
        {"title": "T", "body": body, "save": "1"},
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert html.count('id="id_body_error"') == 1
    assert html.count("the limit is 1 KB") == 1
    # The live preview says it too, but without the field's id, which the page has already.
    preview = client.post(reverse("recommendations:preview"), {"body": body})
    assert preview.status_code == 422
    assert "the limit is 1 KB" in preview.content.decode()
    assert "id=" not in preview.content.decode()
