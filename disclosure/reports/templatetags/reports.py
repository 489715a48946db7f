from django import template

from ..selectors import table3_layout as build_table3_layout

register = template.Library()


@register.filter
def table3_layout(table3: dict):
    return build_table3_layout(table3)


@register.filter
def get(mapping: dict, key: str):
    return mapping.get(key, "")
