"""The audit log (issue 21, item 9): each kind of event is written, with who, whom, what
and from where; only superusers read it, and nobody changes it."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from strategy.models import AuditEvent
from strategy.predicates import CORE_TEAM_GROUP
from strategy.tasks import audit_log_prune
from tests.factories import CoreTeamFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-good-password-42"


def events(kind, **filters):
    return list(AuditEvent.objects.filter(kind=kind, **filters))


def test_a_sign_in_is_logged_with_the_address(client):
    person = UserFactory()
    response = client.post(
        reverse("login"),
        {"login": person.username, "password": PASSWORD},
        REMOTE_ADDR="192.0.2.10",
    )
    assert response.status_code == 302
    [event] = events("sign_in")
    assert (event.subject, event.actor, event.ip_address) == (person, person, "192.0.2.10")
    assert event.path == reverse("login")


def test_a_failed_sign_in_is_logged_with_the_name_tried_and_the_address(client):
    person = UserFactory()
    client.post(
        reverse("login"),
        {"login": person.username, "password": "wrong-password-1"},
        REMOTE_ADDR="198.51.100.7",
    )
    client.post(
        reverse("login"),
        {"login": "nobody-by-this-name", "password": "wrong-password-2"},
        REMOTE_ADDR="198.51.100.7",
    )
    failed = {event.subject_name: event for event in events("sign_in_failed")}
    assert set(failed) == {person.username, "nobody-by-this-name"}
    assert failed[person.username].subject == person
    assert failed["nobody-by-this-name"].subject is None
    assert {event.ip_address for event in failed.values()} == {"198.51.100.7"}
    assert not events("sign_in")
    # The password tried is nowhere in the log.
    stored = str(list(AuditEvent.objects.values()))
    assert "wrong-password" not in stored


def test_behind_the_proxy_the_address_is_the_one_the_proxy_saw(client, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    client.post(
        reverse("login"),
        {"login": "someone", "password": "x"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.99, 192.0.2.44",
    )
    # The client may write anything before the address the proxy appended; and what is
    # not an address is left out rather than failing the request.
    response = client.post(
        reverse("login"),
        {"login": "someone", "password": "x"},
        HTTP_X_FORWARDED_FOR="not-an-address",
    )
    assert response.status_code == 200
    assert [event.ip_address for event in events("sign_in_failed")] == [None, "192.0.2.44"]


def test_staff_and_superuser_changes_are_logged_with_before_and_after():
    person = UserFactory()
    person.is_staff = True
    person.save()
    person.is_superuser = True
    person.save()
    person.last_login = timezone.now()
    person.save(update_fields=["last_login"])
    [staff] = events("staff", subject=person)
    [superuser] = events("superuser", subject=person)
    assert (staff.before, staff.after) == ({"is_staff": False}, {"is_staff": True})
    assert (superuser.before, superuser.after) == (
        {"is_superuser": False},
        {"is_superuser": True},
    )
    # With no request, there is no actor: a shell or a command did it.
    assert staff.actor is None


def test_group_and_permission_changes_are_logged_from_either_side():
    person = UserFactory()
    group = Group.objects.get(name=CORE_TEAM_GROUP)
    person.groups.add(group)
    other = UserFactory()
    group.user_set.add(other)
    group.user_set.remove(other)
    permission = Permission.objects.get(codename="delete_user")
    person.user_permissions.add(permission)
    person.user_permissions.clear()
    [added] = events("groups", subject=person)
    assert (added.before, added.after) == ({"groups": []}, {"groups": [CORE_TEAM_GROUP]})
    joined, left = events("groups", subject=other)[::-1]
    assert joined.after == {"groups": [CORE_TEAM_GROUP]}
    assert left.after == {"groups": []}
    granted, cleared = events("permissions", subject=person)[::-1]
    assert granted.after == {"user_permissions": ["strategy.delete_user"]}
    assert (cleared.before, cleared.after) == (granted.after, {"user_permissions": []})


def test_a_permission_groups_own_permissions_are_logged():
    group = Group.objects.create(name="Translators")
    group.permissions.add(Permission.objects.get(codename="translate_recommendation"))
    [event] = events("permissions", subject_name="Translators")
    assert event.after == {"permissions": ["recommendations.translate_recommendation"]}


def test_a_refused_page_is_logged(client, working_group):
    person = UserFactory(is_staff=True)
    client.force_login(person)
    url = reverse("admin:strategy_notice_changelist")
    assert client.get(url, REMOTE_ADDR="192.0.2.5").status_code == 403
    [event] = events("access_refused")
    assert (event.actor, event.method, event.path, event.ip_address) == (
        person,
        "GET",
        url,
        "192.0.2.5",
    )


def test_a_missing_page_is_not_logged(client):
    client.force_login(UserFactory())
    assert client.get("/no-such-page/").status_code == 404
    assert not events("access_refused")


@pytest.fixture
def logged():
    return AuditEvent.objects.create(kind="sign_in", subject_name="someone")


def test_the_core_team_cannot_read_or_delete_the_audit_log(client, logged):
    core = CoreTeamFactory()
    assert not core.has_perm("strategy.view_auditevent")
    client.force_login(core)
    changelist = reverse("admin:strategy_auditevent_changelist")
    assert client.get(changelist).status_code == 403
    assert (
        client.get(reverse("admin:strategy_auditevent_change", args=[logged.pk])).status_code == 403
    )
    delete = reverse("admin:strategy_auditevent_delete", args=[logged.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    response = client.post(
        changelist, {"action": "delete_selected", "post": "yes", "_selected_action": [logged.pk]}
    )
    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=logged.pk).exists()
    assert "auditevent" not in client.get(reverse("admin:index")).content.decode()


def test_a_superuser_reads_the_audit_log_and_nobody_changes_it(admin_client, logged):
    changelist = reverse("admin:strategy_auditevent_changelist")
    listed = admin_client.get(changelist, {"kind": "sign_in", "q": "someone"})
    assert listed.status_code == 200
    assert logged in listed.context["cl"].result_list
    assert admin_client.get(reverse("admin:strategy_auditevent_add")).status_code == 403
    change = reverse("admin:strategy_auditevent_change", args=[logged.pk])
    assert admin_client.get(change).status_code == 200
    assert admin_client.post(change, {"subject_name": "else"}).status_code == 403
    delete = reverse("admin:strategy_auditevent_delete", args=[logged.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    logged.refresh_from_db()
    assert logged.subject_name == "someone"


def test_an_event_is_never_changed(logged):
    logged.subject_name = "else"
    with pytest.raises(ValueError, match="never changed"):
        logged.save()


def test_old_events_leave_through_the_retention_command(logged, settings):
    settings.AUDIT_LOG_RETENTION_DAYS = 30
    old = AuditEvent.objects.create(kind="sign_in", subject_name="long ago")
    AuditEvent.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=31))
    call_command("audit_prune")
    assert list(AuditEvent.objects.filter(subject_name__in=["someone", "long ago"])) == [logged]
    # The same, as the periodic task.
    again = AuditEvent.objects.create(kind="sign_in", subject_name="long ago")
    AuditEvent.objects.filter(pk=again.pk).update(at=timezone.now() - timedelta(days=31))
    assert audit_log_prune.apply().get() == 1
    with pytest.raises(CommandError, match="one day at least"):
        call_command("audit_prune", days=0)
    assert AuditEvent.objects.filter(pk=logged.pk).exists()


def test_the_audit_log_page_queries_do_not_grow(admin_client, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def log(count):
        AuditEvent.objects.bulk_create(
            AuditEvent(kind="sign_in_failed", subject_name=f"tried{i}", ip_address="192.0.2.1")
            for i in range(count)
        )

    url = reverse("admin:strategy_auditevent_changelist")
    log(3)
    admin_client.get(url)  # the session and the user, once
    with CaptureQueriesContext(connection) as small:
        admin_client.get(url)
    log(80)
    with django_assert_num_queries(len(small)):
        response = admin_client.get(url)
    listed = [event.kind for event in response.context["cl"].result_list]
    assert listed.count("sign_in_failed") == 83
