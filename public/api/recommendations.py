import django_filters
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from public import listing
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

    def public_filters(self) -> dict[str, str]:
        """The filters given, as public_versions takes them (validated first)."""
        return {
            name: self.form.cleaned_data.get(name) or ""
            for name in ("group", "area", "iteration", "state", "q")
        }

    def filter_queryset(self, queryset):
        return selectors.public_versions(**self.public_filters(), translations=False)


class PublishedRecommendationViewSet(viewsets.ReadOnlyModelViewSet):
    """Published recommendations only: drafts and review snapshots are never here."""

    serializer_class = PublishedRecommendationSerializer
    filterset_class = PublishedFilter
    queryset = Version.objects.none()

    def get_queryset(self):
        return selectors.public_versions(translations=False)

    def list(self, request, *args, **kwargs):
        """A page of the list, as the public list's pages are: counted, paged and each item
        kept (public/listing.py), its rows read only for the items not kept."""
        # The filters checked as the filter backend checks them, without the querysets it
        # would build: a warm page reads none.
        filterset = self.filterset_class(request.query_params, queryset=self.queryset)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        filters = filterset.public_filters()
        found = listing.Listing(filters)
        items = self.paginator.paginate_listing(
            found,
            request,
            name="public-api-recommendation",
            rows=lambda: selectors.public_versions(**{**filters, "q": ""}, translations=False),
            render=self._items,
        )
        return self.get_paginated_response(items)

    def _items(self, versions) -> dict[int, dict]:
        serializer = self.get_serializer(versions, many=True)
        return {version.pk: item for version, item in zip(versions, serializer.data, strict=True)}


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
