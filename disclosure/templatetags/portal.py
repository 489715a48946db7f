"""Presentation filters and tags of the public site: file sizes and kinds as people read
them, dates that validate as HTML, search terms highlighted in titles, the rows of item
lists and column paths."""

from django import template
from django.utils.safestring import mark_safe

from disclosure import presentation
from furong_portal.pagecache import fragment

register = template.Library()


class FragmentNode(template.Node):
    # Not walked when Django looks for the {% block %}s of an extended template, which it
    # does on every render: a fragment holds none (its markup is shared by every page).
    child_nodelists = ()

    def __init__(self, nodelist, name, vary_on, unless=None):
        self.nodelist, self.name, self.vary_on, self.unless = nodelist, name, vary_on, unless

    def render(self, context):
        if self.unless is not None and self.unless.resolve(context):
            return self.nodelist.render(context)
        vary = ":".join(str(variable.resolve(context)) for variable in self.vary_on)
        return fragment(f"html:{self.name}:{vary}", lambda: mark_safe(self.nodelist.render(context)))


@register.tag("fragment")
def do_fragment(parser, token):
    """`{% fragment "name" column.pk %}…{% endfragment %}`: the enclosed markup rendered
    once per generation of public content (furong_portal.pagecache.fragment), for every
    request and page alike. It must show nothing of the request (the 长者模式 switch,
    the query string) and depend only on public content and on the values named after
    the name, which distinguish its copies. `{% fragment "name" … unless filtered %}`
    renders it afresh whenever `filtered` is true (a filter form showing a visitor's choice)."""
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError("{% fragment %} takes a quoted name, then the values it varies on.")
    unless = None
    if len(bits) >= 4 and bits[-2] == "unless":
        unless, bits = parser.compile_filter(bits[-1]), bits[:-2]
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, bits[1][1:-1], [parser.compile_filter(bit) for bit in bits[2:]], unless)


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
def item_rows(items, show_meta=False, show_path=False, show_pin=False, query="", snippets=None):
    """`{% item_rows items show_meta=True %}`: the `<li>` rows of a list of items
    (presentation.item_rows)."""
    return presentation.item_rows(
        items, show_meta=show_meta, show_path=show_path, show_pin=show_pin, query=query, snippets=snippets
    )


@register.simple_tag
def column_path(column):
    """Links to `column` and the columns above it."""
    return presentation.column_path(column)


@register.simple_tag(takes_context=True)
def pagination(context):
    """`{% pagination %}`: the page links of the list in the context's `page_obj` and
    `page_range` (presentation.pagination)."""
    return presentation.pagination(context["page_obj"], context["page_range"], context["request"].GET)


@register.simple_tag
def item_metadata(item):
    """`{% item_metadata item %}`: the item page's table of metadata (presentation.item_metadata)."""
    return presentation.item_metadata(item)
