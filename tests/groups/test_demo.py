import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count
from django.utils import translation

from groups.models import FormerName, GuidingQuestion, Membership, Role, WorkingGroup
from strategy.predicates import is_core_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(capsys):
    call_command("demo_data")
    return capsys.readouterr().out


def counts():
    return (
        WorkingGroup.objects.count(),
        GuidingQuestion.objects.count(),
        FormerName.objects.count(),
        Membership.objects.count(),
        get_user_model().objects.count(),
        WorkingGroup.history.count(),
    )


def test_demo_loads_the_reference_case(demo):
    assert WorkingGroup.objects.thematic().count() == 9
    assert set(WorkingGroup.objects.exclude(kind="thematic").values_list("kind", flat=True)) == {
        "synthesis",
        "steering",
    }
    product = WorkingGroup.objects.get(slug="product-technology")
    assert product.name == "Product & Technology"
    assert product.mailing_list == "wg2030-productandtechnology@wikimedia.org"
    assert product.former_names.get().name == "Technology"
    assert product.guiding_questions.count() == 3
    assert WorkingGroup.objects.get(slug="roles-responsibilities").former_names.get().name == (
        "Power Dynamics"
    )
    with translation.override("zh-hans"):
        group = WorkingGroup.objects.get(slug="roles-responsibilities")
        assert group.name == "角色与责任"
        assert "权力动态" in group.former_names.get().reason


def test_demo_has_an_account_for_every_role(demo):
    users = get_user_model().objects
    for role in Role:
        assert Membership.objects.filter(role=role).exists(), role
    assert is_core_team(users.get(username="core"))
    assert users.get(username="admin").is_superuser
    assert not Membership.objects.filter(user__username="community").exists()
    for username in ("admin", "core", "coordinator", "member", "reviewer", "writer", "connector"):
        assert users.get(username=username).check_password("strategy-demo")
        assert f"{username} " in demo
    assert "password: strategy-demo" in demo
    writer_roles = Membership.objects.filter(
        user__username="connector", working_group__slug="synthesis"
    )
    assert set(writer_roles.values_list("role", flat=True)) == {Role.CONNECTOR, Role.REVIEWER}


def test_demo_is_safe_to_run_twice(demo):
    before = counts()
    call_command("demo_data")
    assert counts() == before


def test_demo_has_the_known_recommendations_with_real_history(demo):
    from recommendations.models import Iteration, Recommendation

    assert Recommendation.objects.filter(working_group__kind="thematic").count() == 58
    assert Recommendation.objects.filter(working_group__kind="synthesis").count() == 2
    assert Iteration.objects.count() == 3
    counts = dict(
        Recommendation.objects.order_by().values_list("working_group__slug").annotate(Count("pk"))
    )
    assert counts["partnerships"] == 13
    assert counts["community-health"] == 12
    letter = Recommendation.objects.get(working_group__slug="resource-allocation", number="A")
    assert letter.title_en == "Set Common Framework of Principles for Resource Allocation"
    revisions = list(letter.history.order_by("history_date"))
    assert revisions[0].title_en == "Common Framework of Principles for Resource Allocation"
    assert len(revisions) == 4
    assert len({revision.history_user_id for revision in revisions[:3]}) >= 2
    assert letter.state == "published"
    assert letter.last_published_in.slug == "second-iteration-2019-09"


def test_the_demo_past_iterations_are_closed(demo):
    """The reference case's 2019 iterations are past releases: they accept nothing more;
    the 2020 one is open, so that a coordinator can publish in the demo."""
    from recommendations.models import Iteration

    states = dict(Iteration.objects.values_list("slug", "state"))
    assert states == {
        "first-draft-2019-08": "closed",
        "second-iteration-2019-09": "closed",
        "recommendations-2020": "open",
    }
