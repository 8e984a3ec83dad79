"""Markdown to safe HTML: markdown-it renders, nh3 sanitises.

Raw HTML in the source is shown as text, never passed through; nh3 then removes anything
dangerous that a rendering could still carry (scripts, event handlers, style attributes,
links other than http, https and mailto).
"""

from functools import lru_cache

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "ins", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table",
    "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}


def markdown_parser() -> MarkdownIt:
    """A new parser of the Markdown the product reads: CommonMark, tables, strikethrough,
    raw HTML as text."""
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(
        ["table", "strikethrough"]
    )


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return markdown_parser()


def render_markdown(source: str) -> SafeString:
    return sanitise(_parser().render(source or ""))


def sanitise(html: str, *, classes: dict[str, set[str]] | None = None) -> SafeString:
    """`html` rendered from Markdown, made safe: headings start at h2, and only the tags,
    attributes and link schemes above are kept (and the `classes` of a tag, when given:
    the mentions of a comment, text/mentions.py)."""
    # Headings in a recommendation start at h2: the page's h1 is its title.
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    tags, attributes = ALLOWED_TAGS, ALLOWED_ATTRIBUTES
    if classes:
        tags = tags | set(classes)
        attributes = {**attributes, **{tag: attributes.get(tag, set()) for tag in classes}}
    clean = nh3.clean(
        html,
        tags=tags,
        attributes=attributes,
        allowed_classes=classes,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above
