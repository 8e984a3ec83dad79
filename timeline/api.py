import django_filters
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from groups.models import WorkingGroup

from . import selectors
from .models import Milestone


class MilestoneSerializer(serializers.ModelSerializer):
    on = serializers.DateField()
    until = serializers.DateField(allow_null=True)
    working_groups = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = Milestone
        fields = ["id", "title", "description", "kind", "on", "until", "working_groups"]


class MilestoneFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Milestone.Kind.choices)

    class Meta:
        model = Milestone
        fields = ["kind"]


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "group",
                str,
                description="A working group's slug: its milestones, with its own dates.",
            )
        ]
    )
)
class MilestoneViewSet(viewsets.ReadOnlyModelViewSet):
    """The timeline's milestones; with ?group=, that group's own dates."""

    serializer_class = MilestoneSerializer
    filterset_class = MilestoneFilter
    queryset = Milestone.objects.none()

    def get_queryset(self):
        slug = self.request.query_params.get("group")
        group = WorkingGroup.objects.filter(slug=slug).first() if slug else None
        if slug and group is None:
            return Milestone.objects.none()
        return selectors.milestones_for(group=group).prefetch_related("working_groups")
