"""A translation as a PO file and back: the export lists every unit (its key, source,
current text or draft, label, fuzzy when outdated); an uploaded file saves what changed
through the page's own service (drafts for volunteers, public for the core team), refuses
a unit whose source changed since the export on its own, and a file it cannot read changes
nothing. Who may, cell by cell; the cost flat in the number of units."""

import polib
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from recommendations import services
from recommendations.models import TranslationDraft
from recommendations.text import translation_units
from strategy.accounts.services import user_translator_languages_set
from tests.factories import CoreTeamFactory, UserFactory, iteration
from tests.factories import recommendation as make
from tests.public.conftest import publish

pytestmark = pytest.mark.django_db


def volunteer(*languages):
    person = UserFactory()
    user_translator_languages_set(user=person, languages=list(languages))
    return person


def download(client, hub, language="zh-hans"):
    response = client.get(reverse("translations:po_download", args=[hub.pk, language]))
    assert response.status_code == 200, response.status_code
    return polib.pofile(response.content.decode() + "\n")


def upload(client, hub, data, language="zh-hans"):
    if isinstance(data, polib.POFile):
        data = str(data).encode()
    return client.post(
        reverse("translations:po_upload", args=[hub.pk, language]),
        {"po_file": SimpleUploadedFile("hub.po", data, content_type="text/x-gettext-translation")},
    )


def said(response):
    """The messages an upload left, as the page it leads to shows them (and so uses up)."""
    return [
        str(message) for message in response.client.get(response["Location"]).context["messages"]
    ]


def public(hub, language="zh-hans"):
    hub.refresh_from_db()
    return translation_units.translated_units(hub, language)


def drafts(hub):
    return dict(TranslationDraft.objects.filter(recommendation=hub).values_list("unit", "text"))


def translated_file(client, hub, **texts):
    po = download(client, hub)
    for entry in po:
        if entry.msgctxt in texts:
            entry.msgstr = texts[entry.msgctxt]
    return po


def test_the_export_lists_every_unit_with_its_text_label_and_staleness(client, published, user):
    hub = published["hub"]
    services.translation_save(
        recommendation=hub,
        user=CoreTeamFactory(),
        language="zh-hans",
        source=services.source_text(hub.published_version.revision),
        translations={"title": "倡导中心", "body.0": "我们建议设立一个区域中心。"},
    )
    services.translation_draft_save(
        recommendation=hub,
        user=volunteer("zh-hans"),
        language="zh-hans",
        source=services.source_text(hub.published_version.revision),
        translations={"title": "倡导中心", "body.1": "它协调各项活动。"},
    )
    publish(
        hub,
        user,
        iteration("third", "Third iteration"),
        body=(
            "We recommend a national hub.\n\nIt coordinates campaigns.\n\n"
            "Each region hires one person.\n"
        ),
    )
    client.force_login(volunteer("zh-hans"))
    response = client.get(reverse("translations:po_download", args=[hub.pk, "zh-hans"]))
    assert response["Content-Disposition"] == (
        f'attachment; filename="recommendation-{hub.pk}-zh-hans.po"'
    )
    po = polib.pofile(response.content.decode() + "\n")
    assert po.metadata["Language"] == "zh-hans"
    rows = [(e.msgctxt, e.msgid, e.msgstr, e.comment, e.fuzzy) for e in po]
    assert rows == [
        ("title", "Advocacy hub", "倡导中心", "Title", False),
        ("summary", "A summary.", "", "Summary", False),
        (
            "body.0",
            "We recommend a national hub.",
            "我们建议设立一个区域中心。",
            "Paragraph 1",
            True,
        ),
        ("body.1", "It coordinates campaigns.", "它协调各项活动。", "Paragraph 2", False),
        ("body.2", "Each region hires one person.", "", "Paragraph 3", False),
    ]


# Who downloads and uploads, and what an upload changing the title does: anonymous is
# asked to sign in; a person who translates nothing and a volunteer of another language
# are refused; a volunteer's text is a draft; the core team's is public at once.
CELLS = [
    ("anonymous", 302, 302, None, {}),
    ("nobody", 403, 403, None, {}),
    ("arz", 403, 403, None, {}),
    ("zh", 200, 302, None, {"title": "倡导中心"}),
    ("core", 200, 302, "倡导中心", {}),
]


@pytest.mark.parametrize(("who", "get", "post", "title", "drafted"), CELLS)
def test_who_downloads_and_uploads(client, published, who, get, post, title, drafted):
    hub = published["hub"]
    person = {
        "anonymous": lambda: None,
        "nobody": UserFactory,
        "arz": lambda: volunteer("arz"),
        "zh": lambda: volunteer("zh-hans"),
        "core": CoreTeamFactory,
    }[who]()
    # The file as a translator of the language exports it.
    client.force_login(CoreTeamFactory())
    po = translated_file(client, hub, title="倡导中心")
    client.logout()
    if person is not None:
        client.force_login(person)
    url = reverse("translations:po_download", args=[hub.pk, "zh-hans"])
    response = client.get(url)
    assert response.status_code == get
    if who == "anonymous":
        assert "/accounts/login/" in response["Location"]
    response = upload(client, hub, po)
    assert response.status_code == post
    assert public(hub).get("title") == title
    assert drafts(hub) == drafted


def test_an_unchanged_file_saves_nothing_and_a_draft_stays_a_draft(client, published):
    hub = published["hub"]
    author = volunteer("zh-hans")
    client.force_login(author)
    response = upload(client, hub, translated_file(client, hub, title="倡导中心"))
    assert said(response) == ["1 unit from the file saved as a draft: it is public once proofread."]
    assert drafts(hub) == {"title": "倡导中心"}
    # The core team's export has the draft; sent back unchanged, it publishes nothing.
    client.force_login(CoreTeamFactory())
    response = upload(client, hub, download(client, hub))
    assert said(response) == ["Nothing in the file differs from this page: nothing saved."]
    assert public(hub) == {}
    assert drafts(hub) == {"title": "倡导中心"}
    # Changing another unit publishes that one only; the draft still waits.
    response = upload(client, hub, translated_file(client, hub, **{"body.1": "它协调各项活动。"}))
    assert said(response) == ["1 unit from the file saved."]
    assert public(hub) == {"body.1": "它协调各项活动。"}
    assert drafts(hub) == {"title": "倡导中心"}


def test_a_unit_whose_source_changed_since_the_export_is_refused_the_rest_saved(
    client, published, user
):
    hub = published["hub"]
    client.force_login(volunteer("zh-hans"))
    po = translated_file(client, hub, title="倡导中心", **{"body.0": "我们建议设立一个区域中心。"})
    publish(
        hub,
        user,
        iteration("third", "Third iteration"),
        body=(
            "We recommend a national hub.\n\nIt coordinates campaigns.\n\n"
            "Each region hires one person.\n"
        ),
    )
    response = upload(client, hub, po)
    assert response.status_code == 302
    assert said(response) == [
        "Paragraph 1: its source changed since the file was exported; translate it again "
        "from its new source.",
        "1 unit from the file saved as a draft: it is public once proofread.",
    ]
    assert drafts(hub) == {"title": "倡导中心"}


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b'msgid "a\nmsgstr', "The file is not a readable PO file: Syntax error in po file"),
        (b"\xff\xfe\x00garbage", "The file is not UTF-8 text"),
        (b"", "The file is empty."),
        (
            b'msgid ""\nmsgstr ""\n"Language: arz\\n"\n\nmsgctxt "title"\nmsgid "Advocacy hub"\n'
            b'msgstr "x"\n',
            "The file is a translation into “arz”, not into “zh-hans”.",
        ),
    ],
)
def test_a_file_it_cannot_read_gets_a_clear_error_and_changes_nothing(
    client, published, data, error
):
    hub = published["hub"]
    client.force_login(volunteer("zh-hans"))
    response = upload(client, hub, data)
    assert response.status_code == 302
    [message] = said(response)
    assert message.startswith(error), message
    assert drafts(hub) == {}


def test_a_text_the_form_refuses_saves_nothing_from_the_file(client, published):
    hub = published["hub"]
    client.force_login(volunteer("zh-hans"))
    po = translated_file(client, hub, title="长" * 2000, **{"body.1": "它协调各项活动。"})
    response = upload(client, hub, po)
    messages = said(response)
    assert messages[-1] == "Nothing from the file was saved."
    assert messages[0].startswith("Title: ")
    assert drafts(hub) == {}


def _recommendation(working_group, user, iteration_, paragraphs):
    body = "\n\n".join(f"Paragraph number {n}." for n in range(paragraphs))
    return publish(make(working_group, user, title=f"R{paragraphs}", body=body), user, iteration_)


def test_the_round_trip_costs_the_same_with_3_or_300_units(client, working_group, user, iterations):
    small = _recommendation(working_group, user, iterations[0], 3)
    big = _recommendation(working_group, user, iterations[0], 300)
    client.force_login(volunteer("zh-hans"))
    download(client, small)  # the first request of a session costs a few more
    counts = {}
    for name, hub in (("small", small), ("big", big)):
        with CaptureQueriesContext(connection) as queries:
            po = download(client, hub)
        counts[name, "download"] = len(queries)
        with CaptureQueriesContext(connection) as queries:
            upload(client, hub, po)
        counts[name, "unchanged upload"] = len(queries)
    assert counts["small", "download"] == counts["big", "download"]
    assert counts["small", "unchanged upload"] == counts["big", "unchanged upload"]
