"""Proofreaders assigned per language by the core team: in a language with at least one,
only they (never a draft's author) and the core team proofread; in any other, every other
translator of it, as before. Each cell of the table: the "ready" POST, the "Proofread"
checkbox of the translation page, the translators' home and "Needs me"."""

import pytest
from django.urls import reverse

from recommendations.models import TranslationDraft
from recommendations.selectors.translations import (
    drafts_to_proofread,
    languages_with_proofreaders,
    translator_languages,
    translators_of,
)
from strategy.accounts.services import (
    user_account_delete,
    user_proofread_languages_set,
    user_translator_languages_set,
)
from strategy.models import User
from tests.factories import CoreTeamFactory, MembershipFactory, UserFactory
from tests.public.test_proofreading import public_title, source_of

pytestmark = pytest.mark.django_db

PROOFREAD = "Proofread the translation into Simplified Chinese"


def person(*, translates=(), proofreads=()):
    made = UserFactory()
    user_translator_languages_set(user=made, languages=list(translates))
    user_proofread_languages_set(user=made, languages=list(proofreads))
    return made


@pytest.fixture
def drafted(published):
    """The hub's title drafted in Chinese by a volunteer."""
    from recommendations import services

    hub = published["hub"]
    author = person(translates=["zh-hans"])
    services.translation_draft_save(
        recommendation=hub,
        user=author,
        language="zh-hans",
        source=source_of(hub),
        translations={"title": "倡导中心"},
    )
    return {"hub": hub, "author": author}


def someone(who, drafted, assigned):
    """The cell's person. With `assigned`, Chinese has an assigned proofreader (another
    person's, besides the cell's own assignment); without, none: the "assigned" and
    "author" people are then assigned Egyptian Arabic only, and volunteer for Chinese."""
    if assigned:
        person(proofreads=["zh-hans"])
    own = ["zh-hans"] if assigned else ["arz"]
    author = drafted["author"]
    if who == "author":
        user_proofread_languages_set(user=author, languages=own)
    return {
        "anonymous": lambda: None,
        "member": lambda: MembershipFactory(working_group=drafted["hub"].working_group).user,
        "arz": lambda: person(translates=["arz"]),
        "author": lambda: author,
        "unassigned": lambda: person(translates=["zh-hans"]),
        "assigned": lambda: person(translates=[] if assigned else ["zh-hans"], proofreads=own),
        "core": CoreTeamFactory,
    }[who]()


# Who, whether Chinese has an assigned proofreader, and whether they may proofread the
# draft (None: they do not translate into Chinese at all).
CELLS = [
    ("anonymous", False, None),
    ("anonymous", True, None),
    ("member", False, None),
    ("member", True, None),
    ("arz", False, None),
    ("arz", True, None),
    ("author", False, False),
    ("author", True, False),
    ("unassigned", False, True),
    ("unassigned", True, False),
    ("assigned", False, True),
    ("assigned", True, True),
    ("core", False, True),
    ("core", True, True),
]


@pytest.mark.parametrize(("who", "assigned", "may"), CELLS)
def test_who_marks_a_draft_ready(client, drafted, who, assigned, may):
    hub = drafted["hub"]
    user = someone(who, drafted, assigned)
    if user is not None:
        client.force_login(user)
    response = client.post(
        reverse("translations:ready", args=[hub.pk, "zh-hans"]), {"ready": ["title"]}
    )
    if user is None:
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == (302 if may else 403)
    assert public_title(hub) == ("倡导中心" if may else None)
    assert TranslationDraft.objects.filter(recommendation=hub).exists() is not may


@pytest.mark.parametrize(("who", "assigned", "may"), CELLS)
def test_who_is_offered_the_draft_to_proofread(client, drafted, who, assigned, may):
    """The checkbox of the translation page, the translators' home's list and the item of
    "Needs me" follow the same rule as the POST."""
    hub = drafted["hub"]
    user = someone(who, drafted, assigned)
    if user is None:
        assert client.get(reverse("translations:table")).status_code == 302
        return
    client.force_login(user)
    edit = client.get(reverse("translations:edit", args=[hub.pk, "zh-hans"]))
    home = client.get(reverse("translations:table"))
    if may is None:
        assert edit.status_code == 403
        assert home.status_code in (200, 403)
        if home.status_code == 200:
            assert home.context["proofread"]["count"] == 0
    else:
        assert edit.status_code == 200
        assert ('name="ready" value="title"' in edit.content.decode()) is may
        assert home.status_code == 200
        listed = [row["recommendation_id"] for row in home.context["proofread"]["rows"]]
        assert listed == ([hub.pk] if may else [])
        assert home.context["proofread"]["count"] == len(listed)
    sections = {s.role: s.items for s in client.get(reverse("needs_me")).context["sections"]}
    waiting = {item.what for item in sections.get("translator", [])}
    # The core team's own drafts wait for nobody: it is not asked in "Needs me".
    assert (PROOFREAD in waiting) is bool(may and who != "core")


def test_the_page_says_who_proofreads(client, drafted):
    hub = drafted["hub"]
    client.force_login(person(translates=["zh-hans"]))
    url = reverse("translations:edit", args=[hub.pk, "zh-hans"])
    assert "another translator of this language" in client.get(url).content.decode()
    person(proofreads=["zh-hans"])
    assert "a proofreader the core team assigned" in client.get(url).content.decode()


def test_a_proofreader_translates_into_the_languages_they_proofread():
    """Assigned Chinese, a person translates into it (and into what they volunteered
    for): the rule and its queryset agree."""
    assigned = person(translates=["arz"], proofreads=["zh-hans"])
    assert translator_languages(user=assigned) == ["zh-hans", "arz"]
    assert assigned in translators_of(language="zh-hans")
    assert assigned in translators_of(language="arz")
    only = person(proofreads=["zh-hans"])
    assert translator_languages(user=only) == ["zh-hans"]
    assert list(translators_of(language="arz")) == [assigned]


def test_a_closed_account_is_no_assigned_proofreader(drafted):
    """A deactivated or deleted proofreader leaves the language to every translator again."""
    closed = person(proofreads=["zh-hans"])
    assert languages_with_proofreaders() == {"zh-hans"}
    User.objects.filter(pk=closed.pk).update(is_active=False)
    assert languages_with_proofreaders() == frozenset()
    deleted = person(proofreads=["zh-hans"])
    user_account_delete(user=deleted)
    deleted.refresh_from_db()
    assert deleted.proofreads == []
    other = person(translates=["zh-hans"])
    assert drafts_to_proofread(user=other, languages=["zh-hans"]).count() == 1


def test_an_unknown_language_is_refused_and_nothing_is_saved():
    from django.core.exceptions import ValidationError

    assigned = person(proofreads=["zh-hans"])
    with pytest.raises(ValidationError) as raised:
        user_proofread_languages_set(user=assigned, languages=["zh-hans", "xx"])
    assert raised.value.error_list[0].code == "unknown_language"
    assigned.refresh_from_db()
    assert assigned.proofreads == ["zh-hans"]
