import pytest
from django.urls import reverse

from tests.factories import recommendation as make

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["recommendation", "iteration"])
def test_admin_lists_and_forms_open(admin_client, model):
    assert (
        admin_client.get(
            reverse(f"admin:recommendations_{model}_changelist"), {"q": "x"}
        ).status_code
        == 200
    )
    assert admin_client.get(reverse(f"admin:recommendations_{model}_add")).status_code == 200


def test_recommendation_history_and_translation_tabs_in_the_admin(
    admin_client, working_group, user
):
    recommendation = make(working_group, user, revisions=3)
    history = admin_client.get(
        reverse("admin:recommendations_recommendation_history", args=[recommendation.pk])
    ).content.decode()
    assert "Revision 3" in history
    change = admin_client.get(
        reverse("admin:recommendations_recommendation_change", args=[recommendation.pk])
    ).content.decode()
    # The source text is edited here; translations are shown, and made on the
    # translation page (tests/admin/test_admin_writes.py).
    for field in ("title_en", "summary_en", "body_en", "edit_summary"):
        assert f'name="{field}"' in change
    for field in ("title_zh_hans", "body_arz"):
        assert f'name="{field}"' not in change
        assert f"field-{field}" in change
    filtered = admin_client.get(
        reverse("admin:recommendations_recommendation_changelist"), {"state": "draft"}
    )
    assert list(filtered.context["cl"].result_list) == [recommendation]


def test_a_forbidden_page_explains_itself(client, user, working_group):
    client.force_login(user)
    response = client.get(reverse("recommendations:ranking", args=[working_group.slug]))
    assert response.status_code == 403
    assert "may read this, but not do this" in response.content.decode()
    missing = client.get(reverse("recommendations:detail", args=[999999]))
    assert missing.status_code == 404
    assert "There is no page at this address" in missing.content.decode()
