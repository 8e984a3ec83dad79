"""Who may be asked to review, and when a review is due by default: one list and one date,
the same on the version's page, when asking again, and in the admin."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from groups.models import Role
from recommendations import services
from recommendations.admin.review import AssignReviewersForm
from recommendations.forms.review import AssignmentForm, RereviewForm
from recommendations.models import ReviewAssignment
from recommendations.selectors import reviewers_assignable
from recommendations.services.review import assignments_request_again
from strategy.accounts.services import user_account_delete
from tests.factories import CoreTeamFactory, MembershipFactory, review_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(user_factory, working_group_factory):
    """A reviewer still in the role; one whose role ended yesterday; one whose account was
    deactivated with the role still open; one whose account was deleted; a plain member."""
    synthesis = working_group_factory(slug="synthesis")
    yesterday = timezone.localdate() - timedelta(days=1)

    def holding(role, **membership):
        person = user_factory()
        MembershipFactory(user=person, working_group=synthesis, role=role, **membership)
        return person

    stays = holding(Role.REVIEWER)
    left = holding(Role.REVIEWER, joined_on=yesterday - timedelta(days=30), left_on=yesterday)
    deactivated = holding(Role.REVIEWER)
    deactivated.is_active = False
    deactivated.save(update_fields=["is_active"])
    deleted = holding(Role.REVIEWER)
    user_account_delete(user=deleted)
    member = holding(Role.MEMBER)
    return {"stays": stays, "gone": [left, deactivated, deleted], "member": member}


def offered(form, name):
    return {value.instance for value, _label in form.fields[name].choices if value}


def test_a_person_who_left_is_offered_by_neither_form(people):
    """The version page's form and the admin's offer the same people: those who hold the
    reviewer role now with an open account; nobody who left, in any way."""
    working = offered(AssignmentForm(), "reviewer")
    admin = offered(AssignReviewersForm(), "reviewers")
    assert working == admin == {people["stays"]} == set(reviewers_assignable())


def test_a_person_who_left_cannot_be_posted_to_either_form(people):
    due = timezone.localdate() + timedelta(days=3)
    for gone in people["gone"]:
        working = AssignmentForm({"reviewer": gone.pk, "due_on": due, "cadence": "once"})
        admin = AssignReviewersForm({"reviewers": [gone.pk], "due_on": due, "cadence": "once"})
        assert "reviewer" in working.errors
        assert "reviewers" in admin.errors


def test_asking_again_skips_reviewers_who_left(people, working_group, user):
    first = review_version(working_group, user)
    for person in [people["stays"], *people["gone"]]:
        services.assignment_create(
            version=first,
            reviewer=person,
            assigned_by=user,
            due_on=timezone.localdate() + timedelta(days=3),
        )
    second = services.recommendation_submit_for_review(
        recommendation=first.recommendation, user=user, name="Review 2"
    )
    asked = assignments_request_again(
        version=second, previous=first, assigned_by=user, due_on=timezone.localdate()
    )
    assert [assignment.reviewer for assignment in asked] == [people["stays"]]


def test_every_form_that_assigns_offers_the_same_due_date():
    """A week from today unless the person assigning says otherwise: one rule."""
    expected = timezone.localdate() + timedelta(days=ReviewAssignment.DUE_IN_DAYS)
    for form in (AssignmentForm(), RereviewForm(), AssignReviewersForm()):
        initial = form.fields["due_on"].initial
        assert (initial() if callable(initial) else initial) == expected


def test_the_admin_refuses_a_past_due_date_as_the_version_page_does(
    client, people, working_group, user
):
    """The admin's "Assign reviewers" asks as the version's page does, and refuses the same."""
    version = review_version(working_group, user)
    client.force_login(CoreTeamFactory())
    response = client.post(
        reverse("admin:recommendations_version_changelist"),
        {
            "action": "assign_reviewers",
            "_selected_action": [version.pk],
            "confirm": "1",
            "reviewers": [people["stays"].pk],
            "due_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "cadence": "once",
        },
    )
    assert "The due date is in the past." in response.content.decode()
    assert not ReviewAssignment.objects.exists()
