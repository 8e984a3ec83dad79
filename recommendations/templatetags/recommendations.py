from django import template

from recommendations.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(value: str):
    """Markdown rendered and sanitised (see recommendations/markdown.py)."""
    return render_markdown(value)
