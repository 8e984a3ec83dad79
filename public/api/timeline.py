import django_filters
from rest_framework import serializers, viewsets

from groups.models import WorkingGroup
from public.api.filters import StrictFilterSet
from timeline import selectors
from timeline.models import Milestone


class MilestoneSerializer(serializers.ModelSerializer):
    on = serializers.DateField()
    until = serializers.DateField(allow_null=True)
    working_groups = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = Milestone
        fields = ["id", "title", "description", "kind", "on", "until", "working_groups"]


class MilestoneFilter(StrictFilterSet):
    kind = django_filters.ChoiceFilter(choices=Milestone.Kind.choices)
    group = django_filters.CharFilter(
        method="keep",
        help_text="A working group's slug: the milestones that concern it, with its own dates.",
    )

    class Meta:
        model = Milestone
        fields = ["kind", "group"]

    def keep(self, queryset, name, value):
        # Applied in filter_queryset: the group changes the dates, not only the rows.
        return queryset

    def filter_queryset(self, queryset):
        slug = self.form.cleaned_data.get("group")
        group = WorkingGroup.objects.filter(slug=slug).first() if slug else None
        if slug and group is None:
            return Milestone.objects.none()
        milestones = selectors.milestones_for(group=group).prefetch_related("working_groups")
        if kind := self.form.cleaned_data.get("kind"):
            milestones = milestones.filter(kind=kind)
        return milestones


class MilestoneViewSet(viewsets.ReadOnlyModelViewSet):
    """The timeline's milestones; with ?group=, that group's own dates."""

    serializer_class = MilestoneSerializer
    filterset_class = MilestoneFilter

    def get_queryset(self):
        return selectors.milestones_for().prefetch_related("working_groups")
