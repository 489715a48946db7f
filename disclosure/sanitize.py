"""The allow-list for item bodies (rich text from the back office's editor).

Everything not listed is dropped: scripts and styles with their content, event
handler attributes, inline styles, and links with schemes other than http(s),
mailto and tel (so no `javascript:` or `data:` URLs). Relative links stay.
"""

import re

import nh3
from django.utils.html import escape

ALLOWED_TAGS = {
    "p", "br", "hr", "div", "span",
    "h2", "h3", "h4", "h5", "h6",  # the page's own title is the only h1
    "strong", "b", "em", "i", "u", "s", "sub", "sup", "small", "mark",
    "ul", "ol", "li", "dl", "dt", "dd",
    "blockquote", "pre", "code",
    "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td",
    "a", "img", "figure", "figcaption",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height", "title"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "type"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
REMOVED_WITH_CONTENT = {"script", "style", "template", "iframe", "object", "embed", "noscript"}


def sanitize_html(html: str) -> str:
    """The body as it may be stored and shown with `|safe`."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        clean_content_tags=REMOVED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


MARKUP = re.compile(r"<[a-zA-Z!/]")


def paragraphs_from_plain_text(text: str) -> str:
    """Plain text (no tags at all) as paragraphs, one per line, so that text typed or
    pasted without markup keeps its line breaks; HTML is returned as it is."""
    if not text or MARKUP.search(text):
        return text or ""
    return "".join(f"<p>{escape(line.strip())}</p>" for line in text.splitlines() if line.strip())
