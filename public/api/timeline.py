import django_filters
from rest_framework import serializers, viewsets

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
        return selectors.milestone_list(
            group=self.form.cleaned_data.get("group") or "",
            kind=self.form.cleaned_data.get("kind") or "",
        )


class MilestoneViewSet(viewsets.ReadOnlyModelViewSet):
    """The timeline's milestones; with ?group=, that group's own dates."""

    serializer_class = MilestoneSerializer
    filterset_class = MilestoneFilter

    def get_queryset(self):
        return selectors.milestones_for()
