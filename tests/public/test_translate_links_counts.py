"""On a recommendation, translators see beside each "Translate into" link how far the
language is: units translated (and current) of all, stale, waiting for proofreading. From
the stored counts and one grouped query of the drafts: the same queries however many
units, drafts and languages."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recommendations import services
from recommendations.text import translation_units
from tests.factories import CoreTeamFactory, MembershipFactory
from tests.factories import recommendation as make
from tests.public.conftest import publish
from tests.public.test_assigned_proofreaders import person
from tests.public.test_proofreading import source_of
from tests.public.test_translation_readiness import republish_minutes, translate_all

pytestmark = pytest.mark.django_db


def counts_shown(html, language):
    found = re.search(
        rf'<span class="meta translation-counts" data-language="{language}">\((.*?)\)</span>',
        html,
    )
    return found and found.group(1)


def test_translators_see_translated_stale_and_waiting_per_language(client, published):
    minutes = published["minutes"]
    units = len(translation_units.units(source_of(minutes)))
    translate_all(minutes)
    republish_minutes(published)  # its title is stale in Chinese now
    services.translation_draft_save(
        recommendation=minutes,
        user=person(translates=["arz"]),
        language="arz",
        source=source_of(minutes),
        translations={"title": "محاضر"},
    )
    client.force_login(person(translates=["zh-hans", "arz"]))
    html = client.get(minutes.get_public_url()).content.decode()
    assert counts_shown(html, "zh-hans") == f"{units - 1} of {units} translated, 1 stale"
    assert counts_shown(html, "arz") == f"0 of {units} translated, 1 waiting for proofreading"


@pytest.mark.parametrize("who", ["member", "anonymous"])
def test_others_see_no_counts(client, published, who):
    if who == "member":
        client.force_login(MembershipFactory(working_group=published["minutes"].working_group).user)
    html = client.get(published["minutes"].get_public_url()).content.decode()
    assert "translation-counts" not in html


def test_the_counts_cost_the_same_queries_at_any_size(client, working_group, user, iterations):
    core = CoreTeamFactory()
    client.force_login(core)
    counts = {}
    for size in (1, 12):
        body = "".join(f"Paragraph {n}.\n\n" for n in range(size))
        made = publish(
            make(working_group, user, title=f"Size {size}", body=body), user, iterations[1]
        )
        source = source_of(made)
        for language in ("zh-hans", "arz"):
            services.translation_draft_save(
                recommendation=made,
                user=person(translates=[language]),
                language=language,
                source=source,
                translations={f"body.{n}": f"{language} {n}" for n in range(size)},
            )
        url = made.get_public_url()
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url).content.decode()
        assert f"{size} waiting for proofreading" in counts_shown(html, "arz")
        counts[size] = len(queries)
    assert counts[1] == counts[12]
