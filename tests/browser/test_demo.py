"""The demo of the browser tests (tests/browser/conftest.py: `demo`), loaded once per test
process: every test that asks for it starts from the same rows, whatever a test wrote."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from playwright.sync_api import expect

from groups.models import WorkingGroup
from strategy.models import User
from tests import factories

from .demo import demo_restore, table_digests

pytestmark = pytest.mark.browser


def test_what_a_test_writes_into_the_demo_is_gone_for_the_next(demo, page):
    assert table_digests() == demo.digests
    # Written through the live server (signing in writes a session and the time of the
    # sign-in) and by the test itself.
    page.goto("/accounts/login/")
    page.get_by_label("User name or e-mail address").fill("member")
    page.get_by_label("Password", exact=True).fill("strategy-demo")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("button", name=re.compile("Sign out"))).to_be_visible()
    page.wait_for_load_state("networkidle")
    page.close()  # nothing of the site's is still running when the tables are written
    assert User.objects.get(username="member").last_login is not None
    WorkingGroup.objects.filter(slug="advocacy").update(name_en="Renamed")
    factories.UserFactory()
    ContentType.objects.get_for_model(WorkingGroup)  # kept in a cache
    # As a test with reset_sequences would leave them: the ids start from 1 again.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), 1, false)", [User._meta.db_table]
        )
    assert table_digests() != demo.digests

    # What the next test's `demo` does; before it, pytest-django empties every table.
    demo_restore(demo)

    assert table_digests() == demo.digests
    assert User.objects.get(username="member").last_login is None
    # The cached content type is the demo's row again, not the one of before.
    fresh = ContentType.objects.get(app_label="groups", model="workinggroup")
    assert ContentType.objects.get_for_model(WorkingGroup).pk == fresh.pk
    # A new row takes an id after the demo's.
    demo_ids = list(User.objects.values_list("pk", flat=True))
    assert factories.UserFactory().pk > max(demo_ids)
