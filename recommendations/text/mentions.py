"""@mentions in comments: the one rule of what is a mention, and comments rendered with
their mentions marked.

A mention is `@` and a username, where the username is made of letters, digits and
`_ . + -` (Django's usernames, but `@`), ends with a letter, digit or `_`, and does not
follow a letter, digit or `@ . + -` (so that an e-mail address, `someone@example.org`, is
not one). Text in code and in links holds none. Which mentioned people exist, may read the
comment and hear of it is the notices' to say (services/notices.py); this module knows
nothing of people.
"""

import re
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString
from markdown_it import MarkdownIt
from markdown_it.token import Token

from .markdown import markdown_parser, sanitise

MENTION = re.compile(r"(?<![\w@.+-])@(\w(?:[\w.+-]*\w)?)")
# A username people can mention: the whole of it is what MENTION reads after the `@`.
MENTIONABLE = re.compile(r"\A\w(?:[\w.+-]*\w)?\Z")
# Enough for any real comment; a hostile one naming thousands asks no more of anyone.
MENTIONS_MAX = 50


def _split(token: Token) -> list[Token]:
    """A text token as text and mention tokens."""
    parts, last = [], 0
    for found in MENTION.finditer(token.content):
        if found.start() > last:
            parts.append(_text(token.content[last : found.start()]))
        mention = Token("mention", "", 0)
        mention.content = found.group(1)
        parts.append(mention)
        last = found.end()
    if not parts:
        return [token]
    if last < len(token.content):
        parts.append(_text(token.content[last:]))
    return parts


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _mark_mentions(state) -> None:
    """Core rule: the text outside links (code is not text) split at its mentions."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children, in_link = [], 0
        for token in block.children:
            if token.type == "link_open":
                in_link += 1
            elif token.type == "link_close":
                in_link -= 1
            if token.type == "text" and not in_link and "@" in token.content:
                children.extend(_split(token))
            else:
                children.append(token)
        block.children = children


def _render_mention(self, tokens, idx, options, env) -> str:
    return f'<span class="mention">@{escape(tokens[idx].content)}</span>'


@lru_cache(maxsize=1)
def _comment_parser() -> MarkdownIt:
    parser = markdown_parser()
    parser.core.ruler.push("mentions", _mark_mentions)
    parser.add_render_rule("mention", _render_mention)
    return parser


def mentioned_usernames(source: str) -> list[str]:
    """The usernames `source` mentions, each once (whatever its case), in the order they
    first appear, at most MENTIONS_MAX."""
    seen: dict[str, str] = {}
    for block in _comment_parser().parse(source or ""):
        for token in block.children or ():
            if token.type == "mention" and token.content.casefold() not in seen:
                seen[token.content.casefold()] = token.content
                if len(seen) == MENTIONS_MAX:
                    return list(seen.values())
    return list(seen.values())


def render_comment(source: str) -> SafeString:
    """A comment's Markdown as safe HTML (markdown.render_markdown), its mentions in
    <span class="mention">: the product has no public page of a person to link to."""
    return sanitise(_comment_parser().render(source or ""), classes={"span": {"mention"}})
