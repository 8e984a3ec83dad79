from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from groups.models import Role
from recommendations import services
from recommendations.models import ReviewAssignment
from strategy.predicates import CORE_TEAM_GROUP
from tests.factories import CoreTeamFactory, MembershipFactory, UserFactory, review_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def core(client):
    person = CoreTeamFactory()
    client.force_login(person)
    return person


def test_the_core_team_group_is_made_by_migrating_and_needs_no_superuser(client, core):
    group = Group.objects.get(name=CORE_TEAM_GROUP)
    assert group.permissions.filter(codename="change_recommendation").exists()
    assert group.permissions.filter(codename="view_periodictask").exists()
    assert not core.is_superuser
    for name in (
        "groups_workinggroup",
        "recommendations_recommendation",
        "recommendations_reviewassignment",
        "recommendations_version",
        "recommendations_thread",
        "timeline_milestone",
        "strategy_notice",
    ):
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200, name
    assert client.get(reverse("admin-dashboard")).status_code == 200


def make_process(working_group_factory, user, groups, per_group):
    today = timezone.localdate()
    reviewer = UserFactory()
    for _ in range(groups):
        group = working_group_factory()
        for index in range(per_group):
            version = review_version(group, user, name=f"Review {index}")
            services.assignment_create(
                version=version,
                reviewer=reviewer,
                assigned_by=user,
                due_on=today - timedelta(days=3),
            )
            services.assignment_create(
                version=version,
                reviewer=reviewer,
                assigned_by=user,
                due_on=today + timedelta(days=2),
            )
            services.thread_start(version=version, user=user, body="Open question")


def test_dashboard_queries_do_not_grow(
    client, core, working_group_factory, user, django_assert_num_queries
):
    make_process(working_group_factory, user, 1, 1)
    # A session's first request writes its idle limit (strategy/sessions.py); the query
    # counts measure the requests after it.
    client.get(reverse("admin-dashboard"))
    # 15: the coverage figures ask whether the synthesis is published (the report counts
    # only published synthesized recommendations then) and count each group's fates.
    with django_assert_num_queries(15) as small:
        client.get(reverse("admin-dashboard"))
    make_process(working_group_factory, user, 6, 4)
    with django_assert_num_queries(len(small)):
        response = client.get(reverse("admin-dashboard"))
    rows = {row.group.pk: row for row in response.context["rows"]}
    assert sum(row.overdue for row in rows.values()) == 25
    assert sum(row.due for row in rows.values()) == 25
    assert sum(row.open_threads for row in rows.values()) == 25


def test_each_figure_links_to_the_filtered_list(client, core, working_group_factory, user):
    make_process(working_group_factory, user, 2, 2)
    html = client.get(reverse("admin-dashboard")).content.decode()
    row = client.get(reverse("admin-dashboard")).context["rows"][0]
    link = (
        reverse("admin:recommendations_reviewassignment_changelist")
        + f"?due=overdue&amp;group={row.group.pk}"
    )
    assert link in html
    listed = client.get(link.replace("&amp;", "&"))
    assert listed.context["cl"].result_count == row.overdue == 2


def test_assign_reviewers_in_bulk_asks_then_reports(client, core, working_group_factory, user):
    from groups.models import WorkingGroup

    group = working_group_factory()
    versions = [review_version(group, user, name=f"R{i}") for i in range(3)]
    reviewer = UserFactory()
    MembershipFactory(
        user=reviewer,
        role=Role.REVIEWER,
        working_group=WorkingGroup.objects.create(
            name_en="Synthesis", slug="synthesis", kind="synthesis"
        ),
    )
    url = reverse("admin:recommendations_version_changelist")
    data = {"action": "assign_reviewers", "_selected_action": [v.pk for v in versions]}
    page = client.post(url, data)
    assert page.status_code == 200
    assert "This applies to 3 items" in page.content.decode()
    assert not ReviewAssignment.objects.exists()
    due = (timezone.localdate() + timedelta(days=10)).isoformat()
    done = client.post(
        url,
        {
            **data,
            "confirm": "1",
            "reviewers": [reviewer.pk],
            "due_on": due,
            "cadence": "once",
            "brief": "",
        },
        follow=True,
    )
    assert "3 review assignments created." in done.content.decode()
    assert ReviewAssignment.objects.filter(reviewer=reviewer).count() == 3


def test_publish_in_bulk_reports_what_it_refused(client, core, working_group, user):
    from tests.factories import iteration
    from tests.factories import recommendation as make

    good = make(working_group, user, title="Good")
    withdrawn = make(working_group, user, title="Gone")
    services.recommendation_withdraw(recommendation=withdrawn, user=user, reason="Merged")
    second = iteration("second-iteration")
    url = reverse("admin:recommendations_recommendation_changelist")
    done = client.post(
        url,
        {
            "action": "publish_in_iteration",
            "confirm": "1",
            "_selected_action": [good.pk, withdrawn.pk],
            "iteration": second.pk,
        },
        follow=True,
    )
    html = done.content.decode()
    assert "1 published in" in html
    assert "Not published:" in html
    good.refresh_from_db()
    assert good.state == "published"


def test_export_the_selection_as_csv(client, core, working_group, membership_factory):
    members = membership_factory.create_batch(2, working_group=working_group)
    response = client.post(
        reverse("admin:groups_membership_changelist"),
        {"action": "export_csv", "_selected_action": [m.pk for m in members]},
    )
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().count("\n") == 3


def test_translation_completeness_is_in_the_list(client, core, working_group, user):
    from tests.factories import iteration
    from tests.factories import recommendation as make

    made = make(working_group, user, title="Hub", body="One.\n\nTwo.\n")
    services.recommendation_publish(recommendation=made, user=user, iteration=iteration())
    made.refresh_from_db()
    services.translation_save(
        recommendation=made,
        user=user,
        language="zh-hans",
        source=services.source_text(made.published_version.revision),
        translations={"title": "中心"},
    )
    html = client.get(reverse("admin:recommendations_recommendation_changelist")).content
    assert "zh-hans 25%" in html.decode()
