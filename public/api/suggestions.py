import django_filters
from rest_framework import serializers, viewsets

from public.api.filters import StrictFilterSet
from recommendations.models import Suggestion
from recommendations.selectors.suggestions import public_suggestion_rows

# What a hidden suggestion keeps of itself: its place and outcome, not its words (as a
# hidden comment of feedback does in the feedback CSV).
HIDDEN_FIELDS = ("quote", "replacement", "reason", "accepted_text")


class SuggestionSerializer(serializers.ModelSerializer):
    """A suggested change on a published iteration, and what became of it. One the
    moderators hid has its words blank and says why it is hidden."""

    recommendation = serializers.IntegerField(source="version.recommendation_id")
    group = serializers.CharField(source="version.recommendation.working_group.slug")
    number = serializers.CharField(source="version.recommendation.number")
    iteration = serializers.CharField(source="version.iteration.slug")
    author = serializers.SerializerMethodField()
    suggested_at = serializers.DateTimeField(source="created_at")

    class Meta:
        model = Suggestion
        fields = [
            "id",
            "recommendation",
            "group",
            "number",
            "iteration",
            "target",
            "quote",
            "after_line",
            "replacement",
            "reason",
            "author",
            "suggested_at",
            "state",
            "accepted_text",
            "decision_reason",
            "decided_at",
            "hidden_reason",
        ]

    def to_representation(self, suggestion):
        row = super().to_representation(suggestion)
        if suggestion.hidden_reason:
            row.update(dict.fromkeys(HIDDEN_FIELDS, ""))
        return row

    def get_author(self, suggestion) -> str:
        return suggestion.author.display_name if suggestion.author else ""


class SuggestionFilter(StrictFilterSet):
    group = django_filters.CharFilter(
        field_name="version__recommendation__working_group__slug",
        help_text="A working group's slug.",
    )
    number = django_filters.CharFilter(
        field_name="version__recommendation__number", help_text="A recommendation's number."
    )
    iteration = django_filters.CharFilter(
        field_name="version__iteration__slug", help_text="An iteration's slug."
    )
    state = django_filters.ChoiceFilter(choices=Suggestion.State.choices)

    class Meta:
        model = Suggestion
        fields = ["group", "number", "iteration", "state"]


class SuggestionViewSet(viewsets.ReadOnlyModelViewSet):
    """Suggested changes on published iterations with their outcomes: those on review
    snapshots, and on withdrawn recommendations, are never here."""

    serializer_class = SuggestionSerializer
    filterset_class = SuggestionFilter

    def get_queryset(self):
        return public_suggestion_rows()
