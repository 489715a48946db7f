"""Presentation filters of the public site: file sizes and kinds as people read them,
dates that validate as HTML, and search terms highlighted in titles and snippets."""

from django import template
from django.utils.html import format_html

from disclosure import presentation

register = template.Library()


@register.filter
def human_size(size) -> str:
    """1536 → “1.5 KB”; one unit system for every size (never “606 字节” beside “4.9 KB”)."""
    return presentation.human_size(size)


@register.filter
def file_kind(attachment) -> str:
    """“Word 文档” instead of application/vnd.openxmlformats-officedocument…"""
    return presentation.file_kind(getattr(attachment, "name", ""), getattr(attachment, "content_type", ""))


@register.filter
def html_date(moment) -> str:
    """A `<time datetime>` value the HTML checker accepts (no microseconds): the local date."""
    return presentation.html_date(moment)


@register.filter
def highlight(text, query) -> str:
    """`text` escaped, with every search term of `query` wrapped in <mark>."""
    return presentation.highlight(text or "", query or "")


@register.simple_tag
def snippet(snippets, item, query):
    """The highlighted excerpt of `item`'s body around the first search term, if any."""
    text = (snippets or {}).get(item.pk, "")
    return format_html("{}", presentation.highlight(text, query or "")) if text else ""
