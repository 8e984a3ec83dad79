import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from public.api.filters import StrictFilterSet
from recommendations import selectors
from recommendations.models import Iteration, Recommendation, Version
from recommendations.selectors.reading import PUBLIC_FILTER_STATES


class PublishedRecommendationSerializer(serializers.ModelSerializer):
    """A recommendation as published: the text of its latest (or the filtered) iteration."""

    id = serializers.IntegerField(source="recommendation_id")
    group = serializers.CharField(source="recommendation.working_group.slug")
    number = serializers.CharField(source="recommendation.number")
    state = serializers.ChoiceField(
        source="recommendation.state", choices=Recommendation.State.choices
    )
    iteration = serializers.CharField(source="iteration.slug")
    title = serializers.CharField(source="source_title")
    summary = serializers.CharField(source="source_summary", allow_blank=True)
    body = serializers.CharField(source="source_body", allow_blank=True)
    published_at = serializers.DateTimeField(source="created_at")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Version
        fields = [
            "id",
            "group",
            "number",
            "state",
            "iteration",
            "title",
            "summary",
            "body",
            "published_at",
            "url",
        ]

    @extend_schema_field(OpenApiTypes.STR)
    def get_url(self, version) -> str:
        return version.recommendation.get_public_url()


class PublishedFilter(StrictFilterSet):
    group = django_filters.CharFilter(method="keep", help_text="A working group's slug.")
    area = django_filters.CharFilter(method="keep", help_text="A thematic area's slug.")
    iteration = django_filters.CharFilter(method="keep", help_text="An iteration's slug.")
    state = django_filters.ChoiceFilter(
        method="keep", choices=[(s.value, s.label) for s in PUBLIC_FILTER_STATES]
    )
    q = django_filters.CharFilter(method="keep", help_text="Words to search for.")

    class Meta:
        model = Version
        fields = []

    def keep(self, queryset, name, value):
        # Applied together in filter_queryset: public_versions() owns the rules.
        return queryset

    def filter_queryset(self, queryset):
        data = {
            name: self.form.cleaned_data.get(name) or ""
            for name in ("group", "area", "iteration", "state", "q")
        }
        versions = selectors.public_versions(**data, translations=False)
        # Counted and paged as the public list is: without a search or an iteration, on the
        # recommendations alone (public.api.pagination.StrictLimitOffsetPagination).
        versions.page_ids = selectors.public_version_ids(**data)
        return versions


class PublishedRecommendationViewSet(viewsets.ReadOnlyModelViewSet):
    """Published recommendations only: drafts and review snapshots are never here."""

    serializer_class = PublishedRecommendationSerializer
    filterset_class = PublishedFilter
    queryset = Version.objects.none()

    def get_queryset(self):
        return selectors.public_versions(translations=False)


class IterationSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Iteration
        fields = ["slug", "name", "published_on", "url"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_url(self, iteration) -> str:
        from django.urls import reverse

        return reverse("public:iteration", args=[iteration.slug])


class IterationViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = selectors.iterations_in_order()
    serializer_class = IterationSerializer
    lookup_field = "slug"
