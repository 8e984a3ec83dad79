"""A translation as a PO or XLIFF 1.2 file and back: the export lists every unit (its key,
source, current text or draft, label, fuzzy or "needs-review-translation" when outdated);
an uploaded file of either format is read by the same rules and saves what changed through
the page's own service (drafts for volunteers, public for the core team), refuses a unit
whose source changed since the export on its own, makes current an outdated unit its
translator marked reviewed, and a file it cannot read changes nothing. Who may, cell by
cell; the cost flat in the number of units."""

import polib
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from translate.storage import xliff

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


class PO:
    """A PO file as a translator's tool reads and writes it (polib)."""

    name = "po"
    filename = "hub.po"

    @staticmethod
    def load(content: bytes):
        return polib.pofile(content.decode() + "\n")

    @staticmethod
    def rows(po):
        return [(e.msgctxt, e.msgid, e.msgstr, e.comment, e.fuzzy) for e in po]

    @staticmethod
    def set(po, key, text):
        po.find(key, by="msgctxt").msgstr = text

    @staticmethod
    def reviewed(po, key):
        po.find(key, by="msgctxt").flags.remove("fuzzy")

    @staticmethod
    def dump(po) -> bytes:
        return str(po).encode()


class XLIFF:
    """An XLIFF 1.2 file as a translator's tool reads and writes it (the Translate
    Toolkit)."""

    name = "xliff"
    filename = "hub.xlf"

    @staticmethod
    def load(content: bytes):
        return xliff.xlifffile.parsestring(content)

    @staticmethod
    def _unit(store, key):
        return next(unit for unit in store.getunits() if unit.xmlelement.get("id") == key)

    @staticmethod
    def state(unit):
        target = unit.getlanguageNode(lang=None, index=1)
        return target.get("state") if target is not None else None

    @classmethod
    def rows(cls, store):
        return [
            (
                unit.xmlelement.get("id"),
                unit.source,
                unit.target or "",
                unit.getnotes().split("\n")[0],
                cls.state(unit) == "needs-review-translation",
            )
            for unit in store.getunits()
        ]

    @classmethod
    def set(cls, store, key, text):
        unit = cls._unit(store, key)
        state = cls.state(unit)
        unit.settarget(text)
        if state:  # as a tool does: the text changes, its state stays
            unit.getlanguageNode(lang=None, index=1).set("state", state)

    @classmethod
    def reviewed(cls, store, key):
        unit = cls._unit(store, key)
        unit.getlanguageNode(lang=None, index=1).set("state", "translated")
        unit.markapproved(True)

    @staticmethod
    def dump(store) -> bytes:
        return bytes(store)


FORMATS = {"po": PO, "xliff": XLIFF}


@pytest.fixture(params=["po", "xliff"])
def fmt(request):
    return FORMATS[request.param]


def download(client, hub, language="zh-hans", fmt=PO):
    response = client.get(reverse(f"translations:{fmt.name}_download", args=[hub.pk, language]))
    assert response.status_code == 200, response.status_code
    return fmt.load(response.content)


def upload(client, hub, data, language="zh-hans", fmt=PO, filename=None):
    if not isinstance(data, bytes):
        data = fmt.dump(data)
    return client.post(
        reverse("translations:file_upload", args=[hub.pk, language]),
        {
            "translation_file": SimpleUploadedFile(
                fmt.filename if filename is None else filename,
                data,
                content_type="application/octet-stream",
            )
        },
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


def translated_file(client, hub, fmt=PO, **texts):
    translated = download(client, hub, fmt=fmt)
    for key, text in texts.items():
        fmt.set(translated, key, text)
    return translated


def _stale_body(hub, user):
    """A new iteration in which the first paragraph changed."""
    publish(
        hub,
        user,
        iteration("third", "Third iteration"),
        body=(
            "We recommend a national hub.\n\nIt coordinates campaigns.\n\n"
            "Each region hires one person.\n"
        ),
    )


def test_the_export_lists_every_unit_with_its_text_label_and_staleness(
    client, published, user, fmt
):
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
    _stale_body(hub, user)
    client.force_login(volunteer("zh-hans"))
    response = client.get(reverse(f"translations:{fmt.name}_download", args=[hub.pk, "zh-hans"]))
    extension = {"po": "po", "xliff": "xlf"}[fmt.name]
    assert response["Content-Disposition"] == (
        f'attachment; filename="recommendation-{hub.pk}-zh-hans.{extension}"'
    )
    exported = fmt.load(response.content)
    assert fmt.rows(exported) == [
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
    # The outdated unit says what its translation was made from.
    if fmt is PO:
        assert exported.metadata["Language"] == "zh-hans"
        assert exported.find("body.0", by="msgctxt").previous_msgid == (
            "We recommend a regional hub."
        )
    else:
        assert exported.gettargetlanguage() == "zh-hans"
        assert b'version="1.2"' in response.content
        assert b"urn:oasis:names:tc:xliff:document:1.2" in response.content
        assert "Translated from: We recommend a regional hub." in (
            XLIFF._unit(exported, "body.0").getnotes()
        )
        assert XLIFF.state(XLIFF._unit(exported, "body.1")) == "translated"


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
def test_who_downloads_and_uploads(client, published, fmt, who, get, post, title, drafted):
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
    translated = translated_file(client, hub, fmt, title="倡导中心")
    client.logout()
    if person is not None:
        client.force_login(person)
    url = reverse(f"translations:{fmt.name}_download", args=[hub.pk, "zh-hans"])
    response = client.get(url)
    assert response.status_code == get
    if who == "anonymous":
        assert "/accounts/login/" in response["Location"]
    response = upload(client, hub, translated, fmt=fmt)
    assert response.status_code == post
    assert public(hub).get("title") == title
    assert drafts(hub) == drafted


def test_an_unchanged_file_saves_nothing_and_a_draft_stays_a_draft(client, published, fmt):
    hub = published["hub"]
    author = volunteer("zh-hans")
    client.force_login(author)
    response = upload(client, hub, translated_file(client, hub, fmt, title="倡导中心"), fmt=fmt)
    assert said(response) == ["1 unit from the file saved as a draft: it is public once proofread."]
    assert drafts(hub) == {"title": "倡导中心"}
    # The core team's export has the draft; sent back unchanged, it publishes nothing.
    client.force_login(CoreTeamFactory())
    response = upload(client, hub, download(client, hub, fmt=fmt), fmt=fmt)
    assert said(response) == ["Nothing in the file differs from this page: nothing saved."]
    assert public(hub) == {}
    assert drafts(hub) == {"title": "倡导中心"}
    # Changing another unit publishes that one only; the draft still waits.
    changed = translated_file(client, hub, fmt, **{"body.1": "它协调各项活动。"})
    response = upload(client, hub, changed, fmt=fmt)
    assert said(response) == ["1 unit from the file saved."]
    assert public(hub) == {"body.1": "它协调各项活动。"}
    assert drafts(hub) == {"title": "倡导中心"}


def test_a_unit_whose_source_changed_since_the_export_is_refused_the_rest_saved(
    client, published, user, fmt
):
    hub = published["hub"]
    client.force_login(volunteer("zh-hans"))
    translated = translated_file(
        client, hub, fmt, title="倡导中心", **{"body.0": "我们建议设立一个区域中心。"}
    )
    _stale_body(hub, user)
    response = upload(client, hub, translated, fmt=fmt)
    assert response.status_code == 302
    assert said(response) == [
        "Paragraph 1: its source changed since the file was exported; translate it again "
        "from its new source.",
        "1 unit from the file saved as a draft: it is public once proofread.",
    ]
    assert drafts(hub) == {"title": "倡导中心"}


def _outdated_translation(hub, user):
    """The first paragraph translated, then its source changed: outdated."""
    services.translation_save(
        recommendation=hub,
        user=CoreTeamFactory(),
        language="zh-hans",
        source=services.source_text(hub.published_version.revision),
        translations={"title": "倡导中心", "body.0": "我们建议设立一个中心。"},
    )
    _stale_body(hub, user)

    def body():
        hub.refresh_from_db()
        source = services.source_text(hub.published_version.revision)
        return translation_units.status(hub, source, "zh-hans").unit("body.0")

    return body


def test_an_outdated_unit_marked_reviewed_in_the_file_is_current_again(
    client, published, user, fmt
):
    """The core team removes the fuzzy flag (sets the state "translated") of an outdated
    unit whose text still says what its new source says: it is current; one left flagged
    stays outdated."""
    hub = published["hub"]
    body = _outdated_translation(hub, user)
    assert body().outdated
    client.force_login(CoreTeamFactory())
    # Sent back as exported (still flagged), nothing changes.
    response = upload(client, hub, download(client, hub, fmt=fmt), fmt=fmt)
    assert said(response) == ["Nothing in the file differs from this page: nothing saved."]
    assert body().outdated
    reviewed = download(client, hub, fmt=fmt)
    fmt.reviewed(reviewed, "body.0")
    response = upload(client, hub, reviewed, fmt=fmt)
    assert said(response) == ["1 outdated unit marked reviewed: it is current again."]
    assert not body().outdated
    assert public(hub)["body.0"] == "我们建议设立一个中心。"
    # The next export no longer flags it.
    assert fmt.rows(download(client, hub, fmt=fmt))[2][4] is False


def test_a_volunteers_review_of_an_outdated_unit_is_a_draft_until_proofread(
    client, published, user, fmt
):
    hub = published["hub"]
    body = _outdated_translation(hub, user)
    author = volunteer("zh-hans")
    client.force_login(author)
    reviewed = download(client, hub, fmt=fmt)
    fmt.reviewed(reviewed, "body.0")
    response = upload(client, hub, reviewed, fmt=fmt)
    assert said(response) == ["1 outdated unit marked reviewed: it is current once proofread."]
    assert body().outdated
    assert drafts(hub) == {"body.0": "我们建议设立一个中心。"}
    # Uploaded again, the same review changes nothing more.
    upload(client, hub, reviewed, fmt=fmt)
    assert TranslationDraft.objects.get(recommendation=hub).author == author
    # A second translator proofreads it: current.
    client.force_login(volunteer("zh-hans"))
    response = client.post(
        reverse("translations:ready", args=[hub.pk, "zh-hans"]), {"ready": ["body.0"]}
    )
    assert response.status_code == 302
    assert not body().outdated
    assert drafts(hub) == {}


@pytest.mark.parametrize(
    ("filename", "data", "error"),
    [
        (
            "hub.po",
            b'msgid "a\nmsgstr',
            "The file is not a readable PO file: Syntax error in po file",
        ),
        ("hub.po", b"\xff\xfe\x00garbage", "The file is not UTF-8 text"),
        ("hub.po", b"", "The file is empty."),
        (
            "hub.po",
            b'msgid ""\nmsgstr ""\n"Language: arz\\n"\n\nmsgctxt "title"\nmsgid "Advocacy hub"\n'
            b'msgstr "x"\n',
            "The file is a translation into “arz”, not into “zh-hans”.",
        ),
        ("hub.xlf", b"<xliff version='1.2'", "The file is not a readable XLIFF file: "),
        # Told by its content when its name says nothing.
        ("hub.txt", b"  <xliff version='1.2'", "The file is not a readable XLIFF file: "),
        (
            "hub.xlf",
            b'<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0"/>',
            "The file is not an XLIFF 1.2 file: export XLIFF 1.2 from your tool.",
        ),
        (
            "hub.xlf",
            b'<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file '
            b'original="x" source-language="en" target-language="arz" datatype="plaintext">'
            b'<body><trans-unit id="title"><source>Advocacy hub</source><target>x</target>'
            b"</trans-unit></body></file></xliff>",
            "The file is a translation into “arz”, not into “zh-hans”.",
        ),
        (
            "hub.xlf",
            b'<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file '
            b'original="x" source-language="en" datatype="plaintext"><body/></file></xliff>',
            "The file is not a readable XLIFF file: it has no units.",
        ),
    ],
)
def test_a_file_it_cannot_read_gets_a_clear_error_and_changes_nothing(
    client, published, filename, data, error
):
    hub = published["hub"]
    client.force_login(volunteer("zh-hans"))
    response = upload(client, hub, data, filename=filename)
    assert response.status_code == 302
    [message] = said(response)
    assert message.startswith(error), message
    assert drafts(hub) == {}


def test_an_xliff_entity_is_never_expanded(client, published):
    """An external entity (the classic XXE) stays unread: the unit's source is then not
    the recommendation's, and it is refused."""
    hub = published["hub"]
    client.force_login(volunteer("zh-hans"))
    data = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/hostname">]>'
        b'<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file '
        b'original="x" source-language="en" target-language="zh-hans" datatype="plaintext">'
        b'<body><trans-unit id="title"><source>&e;</source><target>&e;x</target>'
        b"</trans-unit></body></file></xliff>"
    )
    response = upload(client, hub, data, filename="hub.xlf")
    assert said(response)[0].startswith("Title: its source changed since the file was exported")
    assert drafts(hub) == {}


def test_a_text_the_form_refuses_saves_nothing_from_the_file(client, published, fmt):
    hub = published["hub"]
    client.force_login(volunteer("zh-hans"))
    translated = translated_file(
        client, hub, fmt, title="长" * 2000, **{"body.1": "它协调各项活动。"}
    )
    response = upload(client, hub, translated, fmt=fmt)
    messages = said(response)
    assert messages[-1] == "Nothing from the file was saved."
    assert messages[0].startswith("Title: ")
    assert drafts(hub) == {}


def test_the_upload_speaks_the_translators_language(client, published, fmt):
    hub = published["hub"]
    client.force_login(volunteer("zh-hans"))
    translated = translated_file(client, hub, fmt, title="倡导中心")
    response = client.post(
        "/zh-hans" + reverse("translations:file_upload", args=[hub.pk, "zh-hans"]),
        {"translation_file": SimpleUploadedFile(fmt.filename, fmt.dump(translated))},
    )
    messages = [str(m) for m in client.get(response["Location"]).context["messages"]]
    assert messages == ["文件中的 1 个单元已保存为草稿:校对后即公开。"]


def _recommendation(working_group, user, iteration_, paragraphs):
    body = "\n\n".join(f"Paragraph number {n}." for n in range(paragraphs))
    return publish(make(working_group, user, title=f"R{paragraphs}", body=body), user, iteration_)


def test_the_round_trip_costs_the_same_with_3_or_300_units(
    client, working_group, user, iterations, fmt
):
    small = _recommendation(working_group, user, iterations[0], 3)
    big = _recommendation(working_group, user, iterations[0], 300)
    client.force_login(volunteer("zh-hans"))
    download(client, small, fmt=fmt)  # the first request of a session costs a few more
    counts = {}
    for name, hub in (("small", small), ("big", big)):
        with CaptureQueriesContext(connection) as queries:
            exported = download(client, hub, fmt=fmt)
        counts[name, "download"] = len(queries)
        with CaptureQueriesContext(connection) as queries:
            upload(client, hub, exported, fmt=fmt)
        counts[name, "unchanged upload"] = len(queries)
    assert counts["small", "download"] == counts["big", "download"]
    assert counts["small", "unchanged upload"] == counts["big", "unchanged upload"]


def test_an_xliff_error_speaks_egyptian_arabic(client, published):
    hub = published["hub"]
    client.force_login(volunteer("arz"))
    response = client.post(
        "/arz" + reverse("translations:file_upload", args=[hub.pk, "arz"]),
        {"translation_file": SimpleUploadedFile("hub.xlf", b'<xliff version="2.0"/>')},
    )
    page = client.get(response["Location"])
    messages = [str(m) for m in page.context["messages"]]
    assert messages == ["الملف ده مش XLIFF 1.2: صدّر XLIFF 1.2 من البرنامج بتاعك."]
    assert "نزّلها كملف XLIFF" in page.content.decode()


def test_a_core_team_upload_keeps_the_drafts_of_the_units_it_leaves_unchanged(
    client, published, fmt
):
    """A volunteer's pending draft of one unit outlives the core team's upload that
    changes another unit, and a save that only confirms the public text it had; the
    draft of a unit whose public text the upload changes is done with."""
    hub = published["hub"]
    source = services.source_text(hub.published_version.revision)
    core = CoreTeamFactory()
    services.translation_save(
        recommendation=hub,
        user=core,
        language="zh-hans",
        source=source,
        translations={"title": "倡导中心", "body.0": "我们建议设立一个区域中心。"},
    )
    services.translation_draft_save(
        recommendation=hub,
        user=volunteer("zh-hans"),
        language="zh-hans",
        source=source,
        translations={"title": "倡导枢纽", "body.2": "每个地区雇用一人。"},
    )
    client.force_login(core)
    # The core team's file starts from the drafts: put back the public title, change
    # the second paragraph only.
    changed = translated_file(client, hub, fmt, title="倡导中心", **{"body.1": "它协调各项活动。"})
    fmt.set(changed, "body.2", "")
    response = upload(client, hub, changed, fmt=fmt)
    assert response.status_code == 302
    assert public(hub) == {
        "title": "倡导中心",
        "body.0": "我们建议设立一个区域中心。",
        "body.1": "它协调各项活动。",
    }
    assert drafts(hub) == {"title": "倡导枢纽", "body.2": "每个地区雇用一人。"}
    # Saving the public texts again as they are changes nothing: the drafts still wait.
    services.translation_save(
        recommendation=hub,
        user=core,
        language="zh-hans",
        source=source,
        translations=public(hub),
    )
    assert drafts(hub) == {"title": "倡导枢纽", "body.2": "每个地区雇用一人。"}
    # Publishing another title is done with the title's draft.
    services.translation_save(
        recommendation=hub,
        user=core,
        language="zh-hans",
        source=source,
        translations={**public(hub), "title": "倡导总部"},
    )
    assert drafts(hub) == {"body.2": "每个地区雇用一人。"}
