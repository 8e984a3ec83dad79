from django import template

from recommendations.selectors.reading import public_title as _public_title
from recommendations.text.markdown import render_markdown
from recommendations.text.mentions import render_comment

register = template.Library()


@register.filter
def markdown(value: str):
    """Markdown rendered and sanitised (see recommendations/text/markdown.py)."""
    return render_markdown(value)


@register.filter
def comment_markdown(value: str):
    """A comment rendered and sanitised, its @mentions marked (text/mentions.py)."""
    return render_comment(value)


@register.filter
def public_title(recommendation) -> str:
    """The title the public reads: the published version's, never the working copy's."""
    return _public_title(recommendation)
