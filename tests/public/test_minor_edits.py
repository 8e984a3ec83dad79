"""Minor edits: a change its editor marks minor (a typo, punctuation) leaves the
translations of what it touches current, once published too; a real change outdates them
as before, and a minor edit after it does not undo that."""

import pytest
from django.urls import reverse

from recommendations import selectors, services
from recommendations.models import TranslationProgress
from recommendations.text import translation_units
from strategy.models import Notice
from tests.public.test_translations import iteration, source_of, translate

pytestmark = pytest.mark.django_db


def edit(hub, user, body, *, minor):
    services.recommendation_update(
        recommendation=hub,
        user=user,
        title=hub.title,
        summary=hub.summary,
        body=body,
        base_revision=selectors.revision_latest(recommendation=hub).history_id,
        minor=minor,
    )
    hub.refresh_from_db()


def publish_again(hub, user, slug):
    services.recommendation_publish(recommendation=hub, user=user, iteration=iteration(slug))
    hub.refresh_from_db()
    return translation_units.status(hub, source_of(hub), "arz")


TYPO = (
    "We recommend a regional hub.\n\nIt co-ordinates campaigns.\n\nEach region hires one person.\n"
)
REAL = (
    "We recommend a regional hub.\n\nIt co-ordinates campaigns and training.\n\n"
    "Each region hires one person.\n"
)


def test_a_minor_edit_keeps_the_translation_current(published, user, iterations):
    hub = published["hub"]
    translate(hub, user, "arz", **{"body.1": "بينسق الحملات."})
    edit(hub, user, TYPO, minor=True)
    status = publish_again(hub, user, "third")
    assert status.unit("body.1").translated
    assert not status.unit("body.1").outdated
    assert not Notice.objects.filter(kind="translation.stale").exists()
    stored = TranslationProgress.objects.get(recommendation=hub, language="arz")
    assert (stored.translated, stored.stale) == (1, 0)
    # A real change after it outdates the unit, and is told.
    edit(hub, user, REAL, minor=False)
    status = publish_again(hub, user, "fourth")
    assert status.unit("body.1").outdated
    assert status.unit("body.1").translated_from == "It coordinates campaigns."


def test_a_minor_edit_after_a_real_one_leaves_the_unit_outdated(published, user, iterations):
    hub = published["hub"]
    translate(hub, user, "arz", **{"body.1": "بينسق الحملات."})
    edit(hub, user, REAL.replace("co-ordinates", "coordinates"), minor=False)
    edit(hub, user, REAL, minor=True)
    assert publish_again(hub, user, "third").unit("body.1").outdated


def test_an_edit_that_adds_a_unit_is_no_minor_one_for_the_units(published, user, iterations):
    hub = published["hub"]
    translate(hub, user, "arz", **{"body.1": "بينسق الحملات."})
    edit(hub, user, TYPO + "\nOne more paragraph.\n", minor=True)
    assert publish_again(hub, user, "third").unit("body.1").outdated


def test_the_editor_offers_the_minor_mark(client, published, membership, user, iterations):
    hub = published["hub"]
    assert membership.user == user  # a member of the hub's group
    translate(hub, user, "arz", **{"body.1": "بينسق الحملات."})
    client.force_login(user)
    url = reverse("recommendations:edit", args=[hub.pk])
    assert 'name="minor"' in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "title": hub.title,
            "summary": hub.summary,
            "body": TYPO,
            "minor": "on",
            "base_revision": selectors.revision_latest(recommendation=hub).history_id,
        },
    )
    assert response.status_code == 302
    assert not publish_again(hub, user, "third").unit("body.1").outdated
    assert (
        'name="minor"'
        not in client.get(
            reverse("recommendations:create", args=[hub.working_group.slug])
        ).content.decode()
    )
