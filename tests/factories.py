import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from groups.models import Affiliation, Membership, Role, ThematicArea, WorkingGroup
from strategy.predicates import CORE_TEAM_GROUP


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "a-good-password-42")

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):
        if create:
            self.save(update_fields=["password"])

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        """The address is verified, so the person can sign in (`verified_email=False` for one
        who has not verified it yet)."""
        if create and extracted is not False:
            from strategy.email_addresses import email_address_mark_verified

            email_address_mark_verified(user=self)


class CoreTeamFactory(UserFactory):
    is_staff = True

    @factory.post_generation
    def core_team(self, create, extracted, **kwargs):
        if create:
            group, _ = Group.objects.get_or_create(name=CORE_TEAM_GROUP)
            self.groups.add(group)


class ThematicAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ThematicArea
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Area {n}")
    slug = factory.Sequence(lambda n: f"area-{n}")
    code = factory.Sequence(lambda n: f"A{n % 100}")


class WorkingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingGroup
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Working group {n}")
    slug = factory.Sequence(lambda n: f"group-{n}")
    kind = WorkingGroup.Kind.THEMATIC
    thematic_area = factory.SubFactory(ThematicAreaFactory)
    mailing_list = factory.LazyAttribute(lambda group: f"wg-{group.slug}@lists.example.org")
    scope = "What the group works on."


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    working_group = factory.SubFactory(WorkingGroupFactory)
    role = Role.MEMBER
    affiliation = Affiliation.INDIVIDUAL


def recommendation(working_group, user, *, revisions: int = 1, state="draft", **text):
    """A recommendation made through the service, with `revisions` revisions by `user`."""
    from recommendations import selectors, services

    fields = {"title": "Transparency", "summary": "A summary.", "body": "First paragraph.\n"}
    fields.update(text)
    made = services.recommendation_create(
        working_group=working_group, user=user, state=state, **fields
    )
    for number in range(2, revisions + 1):
        made = services.recommendation_update(
            recommendation=made,
            user=user,
            base_revision=selectors.revision_latest(recommendation=made).history_id,
            edit_summary=f"Revision {number}",
            **{**fields, "body": fields["body"] + f"Paragraph {number}.\n"},
        )
    return made


def iteration(slug="second-iteration", name="Second iteration, September 2019"):
    from recommendations.models import Iteration

    made, _ = Iteration.objects.get_or_create(slug=slug, defaults={"name_en": name})
    return made


def review_version(working_group, user, *, name="Review 1", **text):
    """A recommendation submitted for review: its frozen review snapshot."""
    from recommendations import services

    made = recommendation(working_group, user, **text)
    return services.recommendation_submit_for_review(recommendation=made, user=user, name=name)
