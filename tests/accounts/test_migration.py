"""Existing accounts' addresses become verified when the accounts app arrives."""

import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("strategy", "0004_notice_in_doubt_announcements")]
AFTER = [("strategy", "0005_existing_addresses_verified")]


def test_existing_accounts_addresses_are_verified():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    User = old.get_model("strategy", "User")
    with_address = User.objects.create(username="old", email="Old.Person@example.org")
    User.objects.create(username="noaddress", email="")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    try:
        [address] = EmailAddress.objects.all()
    finally:
        # Back to the latest state: the tests after this one use today's tables.
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert (address.user_id, address.email, address.verified, address.primary) == (
        with_address.pk,
        "old.person@example.org",
        True,
        True,
    )
