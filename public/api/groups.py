import django_filters
from rest_framework import serializers, viewsets

from groups import selectors
from groups.models import WorkingGroup
from public.api.filters import StrictFilterSet


class WorkingGroupSerializer(serializers.ModelSerializer):
    thematic_area = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    former_names = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = WorkingGroup
        fields = [
            "slug",
            "name",
            "kind",
            "thematic_area",
            "mailing_list",
            "scope",
            "former_names",
            "url",
        ]

    def get_url(self, group) -> str:
        return group.get_absolute_url()


class WorkingGroupFilter(StrictFilterSet):
    kind = django_filters.ChoiceFilter(choices=WorkingGroup.Kind.choices)
    area = django_filters.CharFilter(field_name="thematic_area__slug")

    class Meta:
        model = WorkingGroup
        fields = ["kind", "area"]


class WorkingGroupViewSet(viewsets.ReadOnlyModelViewSet):
    """The working groups: thematic, synthesis and steering."""

    queryset = selectors.groups_with_former_names()
    serializer_class = WorkingGroupSerializer
    filterset_class = WorkingGroupFilter
    lookup_field = "slug"
