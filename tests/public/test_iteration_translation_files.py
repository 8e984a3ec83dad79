"""A whole iteration's set as one PO or XLIFF file for one language, and back: every
recommendation published in the iteration, each unit keyed and labelled by its
recommendation; the upload checks each recommendation's units by the rules of its own file
(translation_files), saves them through the same services (drafts for volunteers, public
for the core team), and reports by recommendation what changed and what was refused; a
recommendation no longer in the set is refused by name. Who may, cell by cell; the cost
flat in the number of recommendations."""

import polib
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from recommendations import services
from recommendations.models import TranslationDraft
from recommendations.text import translation_files
from recommendations.views import translations
from tests.factories import CoreTeamFactory, UserFactory, iteration
from tests.factories import recommendation as make
from tests.public.conftest import publish
from tests.public.test_translation_files import PO, XLIFF, public, volunteer

pytestmark = pytest.mark.django_db

SECOND = "second-iteration"


@pytest.fixture(params=["po", "xliff"])
def fmt(request):
    return {"po": PO, "xliff": XLIFF}[request.param]


def download(client, slug=SECOND, language="zh-hans", fmt=PO):
    response = client.get(
        reverse(f"translations:iteration_{fmt.name}_download", args=[slug, language])
    )
    assert response.status_code == 200, response.status_code
    return response


def exported(client, slug=SECOND, language="zh-hans", fmt=PO):
    """The file, streamed: its parts, read to the end."""
    response = download(client, slug=slug, language=language, fmt=fmt)
    assert response.streaming
    return b"".join(response.streaming_content)


def upload(client, data, slug=SECOND, language="zh-hans", fmt=PO, filename=None):
    if not isinstance(data, bytes):
        data = fmt.dump(data)
    return client.post(
        reverse("translations:iteration_files", args=[slug, language]),
        {
            "translation_file": SimpleUploadedFile(
                fmt.filename if filename is None else filename, data
            )
        },
    )


def uploaded(client, data, slug=SECOND, language="zh-hans", fmt=PO, prefix=""):
    """The upload, redirected to its page, and that page (which shows the report)."""
    if not isinstance(data, bytes):
        data = fmt.dump(data)
    page = prefix + reverse("translations:iteration_files", args=[slug, language])
    response = client.post(page, {"translation_file": SimpleUploadedFile(fmt.filename, data)})
    assert (response.status_code, response["Location"]) == (302, page)
    response = client.get(page)
    assert response.status_code == 200
    return response


def drafts_of(recommendation):
    return dict(
        TranslationDraft.objects.filter(recommendation=recommendation).values_list("unit", "text")
    )


def test_the_file_holds_every_recommendation_of_the_set_named_unit_by_unit(client, published, fmt):
    hub, minutes = published["hub"], published["minutes"]
    services.translation_save(
        recommendation=hub,
        user=CoreTeamFactory(),
        language="zh-hans",
        source=services.source_text(hub.published_version.revision),
        translations={"title": "倡导中心"},
    )
    client.force_login(volunteer("zh-hans"))
    response = download(client, fmt=fmt)
    extension = {"po": "po", "xliff": "xlf"}[fmt.name]
    assert response["Content-Disposition"] == (
        f'attachment; filename="iteration-{SECOND}-zh-hans.{extension}"'
    )
    group = hub.working_group.name
    assert fmt.rows(fmt.load(b"".join(response.streaming_content))) == [
        (f"{hub.pk}:title", "Advocacy hub", "倡导中心", f"{group} {hub.number} — Title", False),
        (f"{hub.pk}:summary", "A summary.", "", f"{group} {hub.number} — Summary", False),
        (
            f"{hub.pk}:body.0",
            "We recommend a regional hub.",
            "",
            f"{group} {hub.number} — Paragraph 1",
            False,
        ),
        (
            f"{hub.pk}:body.1",
            "It coordinates campaigns.",
            "",
            f"{group} {hub.number} — Paragraph 2",
            False,
        ),
        (
            f"{hub.pk}:body.2",
            "Each region hires one person.",
            "",
            f"{group} {hub.number} — Paragraph 3",
            False,
        ),
        (f"{minutes.pk}:title", "Open minutes", "", f"{group} {minutes.number} — Title", False),
        (
            f"{minutes.pk}:summary",
            "A summary.",
            "",
            f"{group} {minutes.number} — Summary",
            False,
        ),
        (
            f"{minutes.pk}:body.0",
            "Every meeting publishes minutes.",
            "",
            f"{group} {minutes.number} — Paragraph 1",
            False,
        ),
    ]
    # An earlier iteration's file has its own set, as published in it.
    first = fmt.rows(fmt.load(exported(client, slug="first-draft", fmt=fmt)))
    assert [row[:2] for row in first] == [
        (f"{hub.pk}:title", "Advocacy hub"),
        (f"{hub.pk}:summary", "A summary."),
        (f"{hub.pk}:body.0", "We recommend a global hub."),
        (f"{hub.pk}:body.1", "It coordinates campaigns."),
    ]


def _report(response):
    report = response.context["report"]
    return {
        "refused": report["refused"],
        "unchanged": report["unchanged"],
        "rows": {row["pk"]: (row["saved"], row["refused"]) for row in report["rows"]},
    }


def test_an_upload_saves_each_recommendation_and_reports_by_recommendation(
    client, published, user, fmt
):
    hub, minutes = published["hub"], published["minutes"]
    author = volunteer("zh-hans")
    client.force_login(author)
    translated = fmt.load(exported(client, fmt=fmt))
    fmt.set(translated, f"{hub.pk}:title", "倡导中心")
    fmt.set(translated, f"{hub.pk}:body.0", "我们建议设立一个区域中心。")
    fmt.set(translated, f"{minutes.pk}:body.0", "每次会议都公布会议记录。")
    # Meanwhile the hub's first paragraph changes: that unit is refused, the rest saved.
    third = iteration("third", "Third iteration")
    third.position = 3
    third.save()
    publish(
        hub,
        user,
        third,
        body="We recommend a national hub.\n\nIt coordinates campaigns.\n\n"
        "Each region hires one person.\n",
    )
    response = uploaded(client, translated, fmt=fmt)
    assert _report(response) == {
        "refused": [],
        "unchanged": 0,
        "rows": {
            hub.pk: (
                ["1 unit from the file saved as a draft: it is public once proofread."],
                [
                    "Paragraph 1: its source changed since the file was exported; translate "
                    "it again from its new source."
                ],
            ),
            minutes.pk: (
                ["1 unit from the file saved as a draft: it is public once proofread."],
                [],
            ),
        },
    }
    assert drafts_of(hub) == {"title": "倡导中心"}
    assert drafts_of(minutes) == {"body.0": "每次会议都公布会议记录。"}
    assert public(hub) == {}
    page = response.content.decode()
    assert "What the file changed" in page
    assert reverse("translations:edit", args=[minutes.pk, "zh-hans"]) in page
    # The core team's upload of the same file is public at once.
    client.force_login(CoreTeamFactory())
    translated = fmt.load(exported(client, fmt=fmt))
    fmt.set(translated, f"{minutes.pk}:title", "公开会议记录")
    response = uploaded(client, translated, fmt=fmt)
    assert _report(response)["rows"] == {
        minutes.pk: (["1 unit from the file saved."], []),
    }
    assert public(minutes) == {"title": "公开会议记录"}
    # The volunteer's drafts (exported, unchanged) still wait.
    assert drafts_of(minutes) == {"body.0": "每次会议都公布会议记录。"}
    assert drafts_of(hub) == {"title": "倡导中心"}
    # Sent back unchanged: nothing saved, every recommendation said unchanged.
    response = uploaded(client, exported(client, fmt=fmt), fmt=fmt)
    assert _report(response) == {"refused": [], "unchanged": 2, "rows": {}}


def test_a_recommendation_no_longer_in_the_set_is_refused_by_name(client, published):
    hub, draft = published["hub"], published["draft"]
    client.force_login(volunteer("zh-hans"))
    po = PO.load(exported(client))
    po.find(f"{hub.pk}:title", by="msgctxt").msgstr = "倡导中心"
    po.append(polib.POEntry(msgctxt=f"{draft.pk}:title", msgid="Secret draft", msgstr="秘密"))
    po.append(polib.POEntry(msgctxt="title", msgid="Advocacy hub", msgstr="倡导"))
    response = uploaded(client, po)
    report = _report(response)
    assert report["refused"] == [
        "“title”: no unit of this iteration's recommendations.",
        f"{draft.working_group.name} {draft.number} is no longer in this iteration's set: "
        "its units were not read.",
    ]
    assert report["rows"] == {
        hub.pk: (["1 unit from the file saved as a draft: it is public once proofread."], [])
    }
    assert drafts_of(draft) == {}
    assert drafts_of(hub) == {"title": "倡导中心"}


def test_a_unit_the_form_refuses_saves_nothing_of_its_recommendation_only(client, published):
    hub, minutes = published["hub"], published["minutes"]
    client.force_login(volunteer("zh-hans"))
    po = PO.load(exported(client))
    po.find(f"{hub.pk}:title", by="msgctxt").msgstr = "长" * 2000
    po.find(f"{hub.pk}:body.1", by="msgctxt").msgstr = "它协调各项活动。"
    po.find(f"{minutes.pk}:title", by="msgctxt").msgstr = "公开会议记录"
    response = uploaded(client, po)
    rows = {row["pk"]: row for row in response.context["report"]["rows"]}
    assert rows[hub.pk]["nothing_saved"]
    assert rows[hub.pk]["refused"][0].startswith("Title: ")
    assert "Nothing of this recommendation was saved." in response.content.decode()
    assert drafts_of(hub) == {}
    assert drafts_of(minutes) == {"title": "公开会议记录"}


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"", "The file is empty."),
        (
            b'msgid ""\nmsgstr ""\n"Language: arz\\n"\n\n'
            b'msgctxt "1:title"\nmsgid "A"\nmsgstr "x"\n',
            "The file is a translation into “arz”, not into “zh-hans”.",
        ),
    ],
)
def test_a_file_it_cannot_read_changes_nothing(client, published, data, error):
    client.force_login(volunteer("zh-hans"))
    response = upload(client, data)
    assert response.status_code == 422
    assert response.context["error"] == error
    assert response.context["report"] is None
    assert not TranslationDraft.objects.exists()
    # Nothing waits to be shown either.
    assert not any(key.startswith("iteration_file_report") for key, _ in client.session.items())


def saved_counts(hub):
    """What an upload can write: drafts, and the recommendation's history."""
    return (TranslationDraft.objects.count(), hub.history.count())


@pytest.mark.parametrize("who", ["zh", "core"])
def test_the_upload_redirects_and_its_report_is_shown_once(client, published, who):
    hub = published["hub"]
    person = volunteer("zh-hans") if who == "zh" else CoreTeamFactory()
    client.force_login(person)
    page = reverse("translations:iteration_files", args=[SECOND, "zh-hans"])
    po = PO.load(exported(client))
    po.find(f"{hub.pk}:title", by="msgctxt").msgstr = "倡导中心"
    before = saved_counts(hub)
    response = upload(client, po)
    assert (response.status_code, response["Location"]) == (302, page)
    after = saved_counts(hub)
    assert after == ((before[0] + 1, before[1]) if who == "zh" else (before[0], before[1] + 1))
    # The page it redirects to shows the report, once.
    response = client.get(page)
    assert _report(response)["rows"] == {
        hub.pk: (
            ["1 unit from the file saved as a draft: it is public once proofread."]
            if who == "zh"
            else ["1 unit from the file saved."],
            [],
        )
    }
    assert "What the file changed" in response.content.decode()
    assert reverse("translations:edit", args=[hub.pk, "zh-hans"]) in response.content.decode()
    # Reloaded, the page sends nothing again and shows no report.
    response = client.get(page)
    assert response.context["report"] is None
    assert "What the file changed" not in response.content.decode()
    assert saved_counts(hub) == after


def test_the_report_waits_in_the_uploaders_session_only(client, published):
    hub = published["hub"]
    person = volunteer("zh-hans")
    client.force_login(person)
    po = PO.load(exported(client))
    po.find(f"{hub.pk}:title", by="msgctxt").msgstr = "倡导中心"
    assert upload(client, po).status_code == 302
    page = reverse("translations:iteration_files", args=[SECOND, "zh-hans"])
    # The same person elsewhere (another session), another translator, the same page in
    # another language and another iteration's page: no report.
    for other, url in (
        (person, page),
        (volunteer("zh-hans"), page),
        (CoreTeamFactory(), reverse("translations:iteration_files", args=[SECOND, "arz"])),
    ):
        elsewhere = Client()
        elsewhere.force_login(other)
        response = elsewhere.get(url)
        assert response.status_code == 200
        assert response.context["report"] is None
    response = client.get(reverse("translations:iteration_files", args=["first-draft", "zh-hans"]))
    assert response.context["report"] is None
    # The uploader's page still has it, until it is shown.
    assert _report(client.get(page))["rows"].keys() == {hub.pk}
    assert client.get(page).context["report"] is None


def test_a_big_report_keeps_its_first_rows_and_counts_the_rest(client, published, monkeypatch):
    hub, minutes = published["hub"], published["minutes"]
    monkeypatch.setattr(translations, "REPORT_ROWS_KEPT", 1)
    monkeypatch.setattr(translations, "REPORT_ROW_REFUSALS_KEPT", 1)
    client.force_login(volunteer("zh-hans"))
    po = PO.load(exported(client))
    # Two links the hub's source does not have: two refusals.
    po.find(f"{hub.pk}:body.0", by="msgctxt").msgstr = "[甲](https://a.example)"
    po.find(f"{hub.pk}:body.1", by="msgctxt").msgstr = "[乙](https://b.example)"
    po.find(f"{minutes.pk}:title", by="msgctxt").msgstr = "公开会议记录"
    po.append(polib.POEntry(msgctxt="one", msgid="A", msgstr="甲"))
    po.append(polib.POEntry(msgctxt="two", msgid="B", msgstr="乙"))
    response = uploaded(client, po)
    report = response.context["report"]
    assert [row["pk"] for row in report["rows"]] == [hub.pk]
    assert len(report["rows"][0]["refused"]) == 1
    assert (report["rows"][0]["refused_more"], report["rows_more"]) == (1, 1)
    assert (report["refused"], report["refused_more"]) == (
        ["“one”: no unit of this iteration's recommendations."],
        1,
    )
    page = response.content.decode()
    assert "1 more unit refused: its translation page shows it." in page
    assert "1 more recommendation changed or refused, not shown here." in page
    assert "1 more refusal not shown." in page
    # Left out of the report, not of the upload.
    assert drafts_of(minutes) == {"title": "公开会议记录"}


# Who downloads and uploads the iteration's file, and what an upload changing the hub's
# title does.
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
    client.force_login(CoreTeamFactory())
    translated = fmt.load(exported(client, fmt=fmt))
    fmt.set(translated, f"{hub.pk}:title", "倡导中心")
    client.logout()
    if person is not None:
        client.force_login(person)
    for name in (f"iteration_{fmt.name}_download", "iteration_files"):
        response = client.get(reverse(f"translations:{name}", args=[SECOND, "zh-hans"]))
        assert response.status_code == get
        if who == "anonymous":
            assert "/accounts/login/" in response["Location"]
    response = upload(client, translated, fmt=fmt)
    assert response.status_code == post
    assert public(hub).get("title") == title
    assert drafts_of(hub) == drafted


def test_an_unknown_iteration_or_language_is_not_found(client, published):
    client.force_login(CoreTeamFactory())
    assert (
        client.get(reverse("translations:iteration_files", args=["nope", "zh-hans"])).status_code
        == 404
    )
    assert (
        client.get(reverse("translations:iteration_po_download", args=[SECOND, "xx"])).status_code
        == 404
    )


def test_the_iteration_page_and_the_home_link_to_the_file(client, published):
    client.force_login(volunteer("zh-hans"))
    url = reverse("translations:iteration_files", args=[SECOND, "zh-hans"])
    assert url in client.get(reverse("public:iteration", args=[SECOND])).content.decode()
    assert url in client.get(reverse("translations:table")).content.decode()
    assert reverse("translations:iteration_files", args=[SECOND, "arz"]) not in (
        client.get(reverse("translations:table")).content.decode()
    )


def test_the_round_trip_costs_the_same_with_3_or_30_recommendations(
    client, working_group, user, fmt
):
    counts = {}
    client.force_login(volunteer("zh-hans"))
    # A session's first page costs a few more (the menu's counts, kept a while).
    client.get(reverse("translations:table"))
    for size in (3, 30):
        made = iteration(f"set-of-{size}", f"Set of {size}")
        for n in range(size):
            publish(
                make(working_group, user, title=f"R{size}-{n}", body="One.\n\nTwo.\n"),
                user,
                made,
            )
        exported(client, slug=made.slug, fmt=fmt)
        with CaptureQueriesContext(connection) as queries:
            exported_file = exported(client, slug=made.slug, fmt=fmt)
        counts[size, "download"] = len(queries)
        assert len(fmt.rows(fmt.load(exported_file))) == 4 * size
        with CaptureQueriesContext(connection) as queries:
            response = upload(client, exported_file, slug=made.slug, fmt=fmt)
        assert response.status_code == 302
        counts[size, "unchanged upload"] = len(queries)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(response["Location"])
        assert response.context["report"]["unchanged"] == size
        counts[size, "report"] = len(queries)
    assert counts[3, "download"] == counts[30, "download"]
    assert counts[3, "unchanged upload"] == counts[30, "unchanged upload"]
    assert counts[3, "report"] == counts[30, "report"]


def test_the_report_speaks_the_translators_language(client, published):
    hub = published["hub"]
    client.force_login(volunteer("zh-hans"))
    po = PO.load(exported(client))
    po.find(f"{hub.pk}:title", by="msgctxt").msgstr = "倡导中心"
    response = uploaded(client, po, prefix="/zh-hans")
    page = response.content.decode()
    assert "文件改动了什么" in page
    assert "文件中的 1 个单元已保存为草稿:校对后即公开。" in page
    assert "1 条建议:文件中没有任何与之不同的内容。" in page


def test_the_file_is_streamed_a_part_at_a_time_as_its_set_is_read(
    client, published, fmt, monkeypatch, django_assert_num_queries
):
    client.force_login(volunteer("zh-hans"))
    whole = exported(client, fmt=fmt)
    monkeypatch.setattr(translation_files, "PART_ENTRIES", 3)
    # The view answers before reading the set: the session, the person, the iteration.
    with django_assert_num_queries(3):
        response = download(client, fmt=fmt)
    # Then, as it is sent: the set's ids, its versions (one chunk), their drafts.
    with django_assert_num_queries(3):
        parts = list(response.streaming_content)
    # The header, then the 8 units three at a time (XLIFF: and what closes the file).
    assert len(parts) == {"po": 4, "xliff": 5}[fmt.name]
    assert all(parts)
    # Put together, the parts are the file the library writes at once, and read back.
    assert b"".join(parts) == whole
    assert len(fmt.rows(fmt.load(whole))) == 8


@pytest.mark.parametrize("size", [2, 20])
def test_the_streamed_file_costs_the_same_queries_at_any_size(
    client, working_group, user, fmt, size, django_assert_num_queries
):
    made = iteration("a-set", "A set")
    for n in range(size):
        publish(
            make(working_group, user, title=f"R{n}", body="One.\n\n- Two.\n- Three.\n"),
            user,
            made,
        )
    client.force_login(volunteer("zh-hans"))
    client.get(reverse("translations:table"))
    with django_assert_num_queries(6):
        found = exported(client, slug=made.slug, fmt=fmt)
    assert len(fmt.rows(fmt.load(found))) == 5 * size


def test_an_iteration_with_nothing_published_in_it_gives_a_file_without_units(client, db, fmt):
    empty = iteration("empty", "Nothing yet")
    client.force_login(volunteer("zh-hans"))
    found = exported(client, slug=empty.slug, fmt=fmt)
    assert fmt.rows(fmt.load(found)) == []
    assert "Nothing yet" in found.decode()


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("zh-hans", "另有 1 条建议有改动或被拒,此处未显示。"),
        ("arz", "توصية تانية اتغيرت أو اترفضت ومش ظاهرة هنا (1)."),
    ],
)
def test_what_a_big_report_leaves_out_is_said_in_the_translators_language(
    client, published, monkeypatch, language, said
):
    hub, minutes = published["hub"], published["minutes"]
    monkeypatch.setattr(translations, "REPORT_ROWS_KEPT", 1)
    client.force_login(volunteer(language))
    po = PO.load(exported(client, language=language))
    po.find(f"{hub.pk}:title", by="msgctxt").msgstr = "مركز"
    po.find(f"{minutes.pk}:title", by="msgctxt").msgstr = "محاضر"
    response = uploaded(client, po, language=language, prefix=f"/{language}")
    assert said in response.content.decode()
