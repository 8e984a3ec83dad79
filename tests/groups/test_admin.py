import pytest
from django.urls import reverse

from groups.models import Invitation, Membership, WorkingGroup
from strategy.models import Notice

pytestmark = pytest.mark.django_db

MODELS = ["thematicarea", "workinggroup", "membership", "invitation"]


@pytest.mark.parametrize("model", MODELS)
def test_admin_lists_and_forms_open(admin_client, membership, model):
    """Every groups model has a working changelist (with search and filters) and add form."""
    changelist = admin_client.get(reverse(f"admin:groups_{model}_changelist"), {"q": "a"})
    assert changelist.status_code == 200
    assert admin_client.get(reverse(f"admin:groups_{model}_add")).status_code == 200


def test_group_history_is_in_the_admin(admin_client, working_group):
    working_group.name = "Renamed"
    working_group.save()
    response = admin_client.get(
        reverse("admin:groups_workinggroup_history", args=[working_group.pk])
    )
    assert response.status_code == 200
    assert "Renamed" in response.content.decode()


def test_group_admin_has_translation_tabs(admin_client, working_group):
    html = admin_client.get(
        reverse("admin:groups_workinggroup_change", args=[working_group.pk])
    ).content.decode()
    for field in ("name_en", "name_zh_hans", "name_arz", "scope_zh_hans"):
        assert f'name="{field}"' in html


def test_inviting_from_the_admin_sends_the_email(
    admin_client, admin_user, working_group, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:groups_invitation_add"),
            {
                "email": "from.admin@example.org",
                "working_group": working_group.pk,
                "role": "reviewer",
                "affiliation": "board",
                "language": "arz",
            },
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.invited_by == admin_user
    assert invitation.language == "arz"
    assert mailoutbox[0].to == ["from.admin@example.org"]
    assert "إنت معزوم" in mailoutbox[0].subject


def test_membership_filters_narrow_the_list(admin_client, membership_factory, working_group):
    membership_factory(working_group=working_group, role="writer")
    membership_factory(role="member")
    response = admin_client.get(reverse("admin:groups_membership_changelist"), {"role": "writer"})
    assert list(response.context["cl"].result_list) == list(
        Membership.objects.filter(role="writer")
    )
    assert WorkingGroup.objects.count() == 2


def test_an_interrupted_invitation_is_in_doubt_in_the_admin_and_only_sent_by_hand(
    client, working_group, mailoutbox, django_capture_on_commit_callbacks
):
    """A send cut off half-way (the worker died after the server may have had the message)
    is left in doubt by the sweep, not sent again; the core team finds it under the
    "In doubt" filter and sends it again by hand once they know it did not arrive."""
    from datetime import timedelta

    from django.utils import timezone

    from groups import services
    from strategy.tasks import notices_sweep

    invitation = services.invitation_create(email="doubt@example.org", working_group=working_group)
    long_ago = timezone.now() - timedelta(minutes=30)
    Notice.objects.filter(pk=invitation.notice_id).update(
        state=Notice.State.SENDING, claimed_at=long_ago, created_at=long_ago
    )
    other = services.invitation_create(email="sent@example.org", working_group=working_group)
    Notice.objects.filter(pk=other.notice_id).update(state=Notice.State.SENT)

    with django_capture_on_commit_callbacks(execute=True):
        assert notices_sweep() == 0
    assert mailoutbox == []
    notice = Notice.objects.get(pk=invitation.notice_id)
    assert notice.state == Notice.State.IN_DOUBT
    assert "may or may not have left" in notice.last_error

    from tests.factories import CoreTeamFactory

    client.force_login(CoreTeamFactory())  # not a superuser
    changelist = reverse("admin:groups_invitation_changelist")
    html = client.get(changelist, {"notice__state__exact": "in_doubt"}).content.decode()
    assert "doubt@example.org" in html
    assert "sent@example.org" not in html
    assert "In doubt: may have been sent" in html

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            changelist,
            {"action": "send_again", "_selected_action": [invitation.pk, other.pk]},
        )
    assert response.status_code == 302
    assert [message.to for message in mailoutbox] == [["doubt@example.org"]]
    notice.refresh_from_db()
    assert (notice.state, notice.attempts) == (Notice.State.SENT, 1)
    # The same e-mail, sent again: its key and Message-ID are those of the first attempt.
    assert mailoutbox[0].extra_headers["X-Notice-Key"] == notice.key
