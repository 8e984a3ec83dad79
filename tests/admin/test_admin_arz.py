"""The admin in Egyptian Arabic.

Django ships no Egyptian Arabic for its admin, its scripts, auth or contenttypes, nor do
django-simple-history, django-celery-beat or allauth for what they add to the admin:
locale_libraries/arz holds them (locale_libraries/README.md). Every string of those
catalogues must have its translation, so that an upgrade that adds one fails here; the
site's own admin labels (its admin modules, models and templates/admin/) must have their
Egyptian Arabic and Simplified Chinese in locale/; and the admin's pages, rendered in arz,
show none of the English sentences below.
"""

import json
import re
import shutil
from pathlib import Path

import django
import django_celery_beat
import polib
import pytest
import simple_history
from django.conf import settings
from django.core.management import call_command
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation.trans_real import DjangoTranslation

from recommendations.models import Recommendation
from tests.accounts.test_account_pages_arz import visible_text
from tests.factories import recommendation as make

pytestmark = pytest.mark.django_db

BASE = Path(settings.BASE_DIR)
DJANGO = Path(django.__file__).parent / "contrib"
ADMIN_EN = DJANGO / "admin" / "locale" / "en" / "LC_MESSAGES"


def _entries(path: Path):
    return [entry for entry in polib.pofile(str(path)) if entry.msgid and not entry.obsolete]


def _key(entry) -> str | tuple:
    """The entry's key in a gettext catalogue: its first plural form, with its context."""
    msgid = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
    return (msgid, 0) if entry.msgid_plural else msgid


def _untranslated(entries, catalog, plurals: int = 6) -> list[str]:
    """The msgids of `entries` without a translation in `catalog` (with each of its
    `plurals` forms: 6 in Arabic, 1 in Chinese)."""
    missing = []
    for entry in entries:
        key = _key(entry)
        if entry.msgid_plural:
            forms = [catalog.get((key[0], index)) for index in range(plurals)]
            if not all(forms):
                missing.append(entry.msgid)
        elif not catalog.get(key):
            missing.append(entry.msgid)
    return missing


def _catalog(language: str, domain: str = "django"):
    return DjangoTranslation(translation.to_language(language), domain=domain)._catalog


def _extracted(tmp_path: Path, sources: dict[str, Path]) -> list:
    """The strings `makemessages` finds in `sources` (names in a copy -> files or folders),
    extracted in a copy under `tmp_path`: never in the site's own locale/."""
    copy = tmp_path / "sources"
    for name, source in sources.items():
        target = copy / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("locale", "migrations"))
        else:
            shutil.copy(source, target)
    (copy / "locale").mkdir()
    with override_settings(LOCALE_PATHS=[copy / "locale"]):
        import os

        here = os.getcwd()
        os.chdir(copy)
        try:
            call_command("makemessages", locale=["arz"], verbosity=0)
        finally:
            os.chdir(here)
    return _entries(copy / "locale" / "arz" / "LC_MESSAGES" / "django.po")


# Strings the same in Egyptian Arabic: only placeholders.
SAME = {"%(class_name)s %(instance)s"}


def _libraries_admin_strings(tmp_path):
    """The strings the admin shows from the libraries: Django's admin, auth and
    contenttypes, django-simple-history's history pages, django-celery-beat's admin (taken
    from its source: its catalogues lag behind it) and allauth's admin and model names."""
    import allauth

    strings = {
        "django.contrib.admin": _entries(ADMIN_EN / "django.po"),
        "django.contrib.auth": _entries(DJANGO / "auth/locale/en/LC_MESSAGES/django.po"),
        "django.contrib.contenttypes": _entries(
            DJANGO / "contenttypes/locale/en/LC_MESSAGES/django.po"
        ),
        "simple_history": _entries(
            Path(simple_history.__file__).parent / "locale/ar/LC_MESSAGES/django.po"
        ),
        "django_celery_beat": _extracted(
            tmp_path, {"django_celery_beat": Path(django_celery_beat.__file__).parent}
        ),
        "allauth": [
            entry
            for entry in _entries(Path(allauth.__file__).parent / "locale/en/LC_MESSAGES/django.po")
            if any(
                re.match(r"(account|socialaccount|mfa|usersessions)/(models|admin|apps)\.py$", f)
                for f, _line in entry.occurrences
            )
        ],
    }
    assert len(strings["django.contrib.admin"]) > 190
    assert len(strings["django_celery_beat"]) > 110
    return strings


def test_every_string_of_the_libraries_admin_has_its_egyptian_arabic(tmp_path):
    catalog = _catalog("arz")
    missing = {
        library: _untranslated(entries, catalog)
        for library, entries in _libraries_admin_strings(tmp_path).items()
    }
    assert {library: left for library, left in missing.items() if left} == {}


def test_every_string_of_the_admin_s_scripts_has_its_egyptian_arabic():
    """The calendar, the clock, the date and time shortcuts, the filter widgets."""
    entries = _entries(ADMIN_EN / "djangojs.po")
    assert len(entries) > 70
    assert _untranslated(entries, _catalog("arz", "djangojs")) == []


NAMES = re.compile(
    r"%\(\w+\)[sdr]|%[sd]|\{\w*\}|<[^>]+>|\"[^\"]*\"|“[^”]*”|'[^']*'|\([A-Z]\w+\d?\)|"
    r"(?<![A-Za-z])(API|JSON|LDAP|AMQP|OAuth[12]|RabbitMQ|Redis|UTC|CELERY_TASK_QUEUES|OK"
    r"|Exchange|Control|Command|Mac|get_absolute_url|expires|expire_seconds|a-z|A-Z)(?![A-Za-z])"
)


def test_no_english_is_left_in_the_egyptian_arabic_of_the_admin(tmp_path):
    """Each translation is Arabic but for names, placeholders and what is quoted."""
    english = []
    libraries = _libraries_admin_strings(tmp_path)  # outside: it changes LOCALE_PATHS a while
    with translation.override("arz"):
        for entries in libraries.values():
            for entry in entries:
                if entry.msgid_plural:
                    text = translation.ngettext(entry.msgid, entry.msgid_plural, 5)
                elif entry.msgctxt:
                    text = translation.pgettext(entry.msgctxt, entry.msgid)
                else:
                    text = translation.gettext(entry.msgid)
                if re.search(r"[A-Za-z]{3,}", NAMES.sub("", text)) and entry.msgid not in SAME:
                    english.append((entry.msgid, text))
    assert english == [], "\n".join(map(repr, english))


ADMIN_SOURCES = {
    **{
        str(path.relative_to(BASE)): path
        for pattern in ("*/admin.py", "*/admin/*.py", "*/models.py", "*/models/*.py")
        for path in BASE.glob(pattern)
        if not str(path.relative_to(BASE)).startswith((".venv", "node_modules", "tests"))
    },
    "templates/admin": BASE / "templates" / "admin",
}


@pytest.mark.parametrize("language", ["arz", "zh-hans"])
def test_every_admin_label_of_the_site_has_its_translation(tmp_path, language):
    """Models' and fields' names, list columns, actions, fieldsets, help texts and the
    admin templates: whatever a gettext call in them names, translated in locale/."""
    assert "recommendations/admin/drafting.py" in ADMIN_SOURCES
    entries = _extracted(tmp_path, ADMIN_SOURCES)
    assert len(entries) > 300
    missing = _untranslated(entries, _catalog(language), 6 if language == "arz" else 1)
    assert missing == []


def test_every_field_the_admin_shows_has_a_translatable_name():
    """A field without a verbose name is labelled from its Python name ("Created by"),
    which no catalogue translates: every field of the site's models in the admin (and in
    its inlines) has one, and so has each model."""
    from django.contrib import admin
    from django.utils.functional import Promise

    models = set()
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label in ("strategy", "groups", "recommendations", "timeline"):
            models.add(model)
            models.update(inline.model for inline in model_admin.inlines)
    unnamed = [
        f"{model._meta.label}.{field.name}"
        for model in models
        for field in model._meta.get_fields()
        if field.concrete
        and not field.auto_created
        and field.editable
        and not isinstance(field._verbose_name, Promise)
    ] + [
        model._meta.label
        for model in models
        if not isinstance(model._meta.original_attrs.get("verbose_name"), Promise)
    ]
    assert len(models) > 25
    assert unnamed == []


# English sentences the admin pages show where a translation is missing: Django's admin
# and auth, simple_history's, modeltranslation's, allauth's and the site's own.
ENGLISH = [
    "Site administration",
    "Django administration",
    "Welcome,",
    "View site",
    "Change password",
    "Log out",
    "Recent actions",
    "My actions",
    "None available",
    "Authentication and Authorization",
    "Groups",
    "Periodic tasks",
    "Email addresses",
    "Social accounts",
    "Authenticators",
    "User sessions",
    "User Sessions",
    "Dashboard: every group at a glance",
    "Skip to main content",
    "Select recommendation to change",
    "Add recommendation",
    "Action:",
    "Run the selected action",
    "0 of 1 selected",
    "Filter",
    "Show counts",
    "Hide counts",
    "By state",
    "By working group",
    "All",
    "Any date",
    "Delete selected",
    "Publish in iteration",
    "Export as CSV",
    "1 recommendation",
    "Change recommendation",
    "Save and continue editing",
    "Save and add another",
    "History",
    "Delete",
    "Change history",
    "Date/time",
    "Changed by",
    "Change reason",
    "Revert",
    "Press the",
    "Personal info",
    "Permissions",
    "Important dates",
    "Raw passwords are not stored",
    "Superuser status",
    "Staff status",
    "Are you sure",
    "Yes, I\u2019m sure",
    "No, take me back",
    "Summary",
    "Created by",
    "Base revision",
    "Objects",
    "Name",
    "Description",
    "Schedule",
    "Arguments",
    "Execution Options",
    "Task (registered)",
    "Interval Schedule",
    "Currently:",
    "Today",
    "Now",
]


def assert_arz(response, where: str, *, names=()) -> str:
    assert response.status_code == 200, (where, response.status_code)
    html = response.content.decode()
    assert 'lang="arz" dir="rtl"' in html, where
    text = visible_text(html)
    for name in names:
        text = text.replace(name, "")
    left = [
        sentence
        for sentence in ENGLISH
        if re.search(rf"(?<![\w-]){re.escape(sentence)}(?![\w-])", text)
    ]
    assert not left, f"{where} shows English: {left}\n\n{text}"
    # The buttons' words and the search box's hint are attributes, not text.
    buttons = re.findall(r'<input[^>]*type="submit"[^>]*value="([^"]*)"', html)
    buttons += re.findall(r'placeholder="([^"]*)"', html)
    english = [words for words in buttons if re.search("[A-Za-z]{3,}", words)]
    assert not english, f"{where} has buttons in English: {english}"
    return text


@pytest.fixture
def arz_admin(admin_client):
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "arz"
    return admin_client


def test_the_admin_pages_in_egyptian_arabic(arz_admin, admin_user, working_group, user):
    made = make(working_group, user, revisions=2, title="Transparency", body="First.\n")
    recommendation = Recommendation.objects.get(pk=made.pk)
    record = recommendation.history.earliest("history_date")
    names = (
        "Transparency",
        str(recommendation),
        str(working_group),
        admin_user.username,
        user.username,
        "Django",
    )
    pages = {
        "index": reverse("admin:index"),
        "changelist": reverse("admin:recommendations_recommendation_changelist"),
        "change form": reverse("admin:recommendations_recommendation_change", args=[made.pk]),
        "history": reverse("admin:recommendations_recommendation_history", args=[made.pk]),
        "past version": reverse(
            "admin:recommendations_recommendation_simple_history",
            args=[made.pk, record.history_id],
        ),
        "deletion": reverse("admin:recommendations_recommendation_delete", args=[made.pk]),
        "group's form": reverse("admin:groups_workinggroup_change", args=[working_group.pk]),
        "user's form": reverse("admin:strategy_user_change", args=[admin_user.pk]),
        "groups": reverse("admin:auth_group_add"),
        "scheduled task": reverse("admin:django_celery_beat_periodictask_add"),
        "authenticators": reverse("admin:mfa_authenticator_changelist"),
        "user sessions": reverse("admin:usersessions_usersession_changelist"),
    }
    texts = {
        where: assert_arz(arz_admin.get(url), where, names=names) for where, url in pages.items()
    }
    assert "شغّل العمليه" in texts["index"]  # the site's own title for it
    assert "آخر الإجراءات" in texts["index"]
    assert "فلتر" in texts["changelist"]
    assert "اتختار 0 من 1" in texts["changelist"]
    assert "شوفه على الموقع" in texts["change form"]
    assert "اتعدّل على إيد" in texts["history"]
    assert "انت متأكد إنك عايز تمسح توصيه" in texts["deletion"]
    assert "البيانات الشخصيه" in texts["user's form"]


def test_a_search_with_no_result_and_a_deletion_of_several(arz_admin, working_group, user):
    first = make(working_group, user, title="First")
    second = make(working_group, user, title="Second")
    url = reverse("admin:recommendations_recommendation_changelist")
    searched = assert_arz(arz_admin.get(url, {"q": "nothing-like-it"}), "search")
    assert "مفيش نتايج" in searched or "0 نتيجه" in searched or "نتيجه" in searched
    asked = arz_admin.post(
        url, {"action": "delete_selected", "_selected_action": [first.pk, second.pk]}
    )
    text = assert_arz(asked, "deleting two", names=("First", "Second", str(first), str(second)))
    assert "انت متأكد إنك عايز تمسح" in text


def test_the_admin_s_script_catalogue_in_egyptian_arabic(arz_admin):
    """The admin's own jsi18n view (packages django.contrib.admin) takes locale_libraries'
    djangojs catalogue, with Arabic's six plural forms."""
    response = arz_admin.get(reverse("admin:jsi18n"))
    assert response.status_code == 200
    script = response.content.decode()
    catalog = json.loads(re.search(r"const newcatalog = (\{.*?\});\n", script, re.S).group(1))
    assert catalog["Today"] == "النهارده"
    assert catalog["Yesterday"] == "إمبارح"
    assert catalog["Tomorrow"] == "بكره"
    assert catalog["Now"] == "دلوقتى"
    assert catalog["January"] == "يناير"
    assert len(catalog["%(sel)s of %(cnt)s selected"]) == 6
    assert "n==0 ? 0 : n==1 ? 1 : n==2 ? 2" in script
    assert catalog["Choose a Date"] == "اختار تاريخ"


def test_the_admin_is_in_the_person_s_preferred_language(client, user_factory):
    """The profile's language first, then the browser's; English for neither."""
    person = user_factory(is_staff=True, is_superuser=True, language="arz")
    client.force_login(person)
    html = client.get(reverse("admin:index")).content.decode()
    assert '<html lang="arz" dir="rtl">' in html
    person.language = ""
    person.save()
    html = client.get(reverse("admin:index"), headers={"accept-language": "zh-hans"})
    assert '<html lang="zh-hans" dir="ltr">' in html.content.decode()
    assert "站点管理" in html.content.decode() or "最近动作" in html.content.decode()
    assert '<html lang="en" dir="ltr">' in client.get(reverse("admin:index")).content.decode()
