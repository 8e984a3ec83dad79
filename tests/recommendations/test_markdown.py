"""The sanitiser against known XSS payloads: none may reach the page."""

from html.parser import HTMLParser

import pytest

from recommendations.text.markdown import render_markdown

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    '<a href="javascript:alert(1)">x</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p style="position:fixed;top:0;left:0;width:100%;height:100%">cover</p>',
    "<body onload=alert(1)>",
    "<object data=javascript:alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<form action=javascript:alert(1)><button>x</button></form>",
    "<input autofocus onfocus=alert(1)>",
    '<base href="javascript:alert(1)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<link rel=stylesheet href=//evil.example/x.css>",
    "<style>body{display:none}</style>",
    '[x](https://example.org "title" onclick=alert(1))',
    '<a href="https://example.org" onmouseover="alert(1)">hover</a>',
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<scr<script>ipt>alert(1)</script>",
    "`<script>alert(1)</script>`",
]
SAFE_SCHEMES = ("http:", "https:", "mailto:")
SAFE_TAGS = {
    "a",
    "p",
    "img",
    "code",
    "pre",
    "em",
    "strong",
    "ul",
    "ol",
    "li",
    "h2",
    "h3",
    "blockquote",
    "br",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "del",
}


class Elements(HTMLParser):
    """Every element and attribute the browser would build from the HTML."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def elements(html):
    parser = Elements()
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_is_neutralised(payload):
    html = render_markdown(payload)
    for tag, attrs in elements(html):
        assert tag in SAFE_TAGS, (payload, html)
        for name, value in attrs.items():
            assert not name.startswith("on"), (payload, html)
            assert name != "style", (payload, html)
            if name in ("href", "src"):
                assert value.strip().lower().startswith(SAFE_SCHEMES) or not value.strip(), (
                    payload,
                    html,
                )


def test_markdown_still_renders():
    html = render_markdown(
        "# Title\n\nSome **bold** text and a [link](https://example.org).\n\n- one\n- two"
    )
    assert "<h2>Title</h2>" in html
    assert "<strong>bold</strong>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">link</a>' in html
    assert "<li>one</li>" in html


def test_raw_html_is_shown_as_text():
    assert "&lt;b&gt;" in render_markdown("<b>not bold</b>")
