"""Markdown to safe HTML: markdown-it renders, nh3 sanitises.

Raw HTML in the source is shown as text, never passed through; nh3 then removes anything
dangerous that a rendering could still carry (scripts, event handlers, style attributes,
links other than http, https and mailto).
"""

from dataclasses import dataclass
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


@dataclass(frozen=True)
class ListItem:
    """One list item rendered alone: the list it opens and what its <li> holds."""

    tag: str  # "ul" or "ol"
    start: int | None  # a numbered list's first number, where it is not 1
    html: SafeString  # the item's content, sanitised, without the <li> around it


def render_list_item(source: str, *, loose: bool = False) -> ListItem | None:
    """`source`, one list item (its mark, its text), rendered as its list and the content of
    its <li>: so that a page can put consecutive items, each rendered alone (a translation
    unit each), into one list element. `loose`: the item's paragraphs kept as paragraphs,
    as CommonMark renders a list whose items are separated by blank lines. None where
    `source` renders as anything but that one item (a thematic break "* * *", say)."""
    parser = _parser()
    tokens = parser.parse(source or "")
    if (
        len(tokens) < 4
        or tokens[0].type not in ("bullet_list_open", "ordered_list_open")
        or tokens[1].type != "list_item_open"
        or tokens[-2].type != "list_item_close"
        or any(token.level <= 1 for token in tokens[2:-2])
    ):
        return None
    inside = tokens[2:-2]
    if loose:
        for token in inside:
            if token.type in ("paragraph_open", "paragraph_close") and token.level == 2:
                token.hidden = False
    start = tokens[0].attrGet("start")
    return ListItem(
        tag="ol" if tokens[0].type == "ordered_list_open" else "ul",
        start=None if start is None else int(start),
        html=sanitise(parser.renderer.render(inside, parser.options, {})),
    )


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
