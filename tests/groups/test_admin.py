import pytest
from django.urls import reverse

from groups.models import Invitation, Membership, WorkingGroup

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
