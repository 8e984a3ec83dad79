import pytest
from django.core.exceptions import ValidationError

from recommendations.forms.drafting import RecommendationForm
from recommendations.validators import validate_body_size


def test_body_at_the_limit_is_accepted(settings):
    settings.RECOMMENDATION_BODY_LIMIT_KB = 200
    validate_body_size("a" * 200 * 1024)


def test_body_over_the_limit_is_refused_with_both_sizes(settings):
    settings.RECOMMENDATION_BODY_LIMIT_KB = 200
    with pytest.raises(ValidationError) as error:
        validate_body_size("a" * (200 * 1024 + 1))
    assert error.value.code == "too_large"
    assert "the limit is 200 KB" in error.value.messages[0]
    assert "201 KB" in error.value.messages[0]


def test_limit_counts_bytes_not_characters(settings):
    settings.RECOMMENDATION_BODY_LIMIT_KB = 1
    validate_body_size("é" * 512)  # 1,024 bytes
    with pytest.raises(ValidationError):
        validate_body_size("中" * 342)  # 1,026 bytes


def test_form_keeps_the_oversized_text_and_says_the_limit(settings):
    settings.RECOMMENDATION_BODY_LIMIT_KB = 1
    body = "word " * 400
    form = RecommendationForm({"title": "A title", "body": body})
    assert not form.is_valid()
    assert "the limit is 1 KB" in form.errors["body"][0]
    assert form["body"].value() == body


def test_form_refuses_unresolved_conflict_markers():
    form = RecommendationForm(
        {"title": "T", "body": "a\n<<<<<<< theirs\nx\n=======\ny\n>>>>>>> yours\n"}
    )
    assert not form.is_valid()
    assert "conflict markers" in form.errors["body"][0]


def test_form_makes_browser_line_endings_plain():
    form = RecommendationForm({"title": "T", "body": "one\r\ntwo\r\n"})
    assert form.is_valid()
    assert form.cleaned_data["body"] == "one\ntwo\n"
