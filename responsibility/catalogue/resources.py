"""The 标准目录 as a spreadsheet (xlsx, csv) with the national template's headers.

A row is identified by its column (网址标识) and 序号; re-importing an unchanged export
changes nothing, and a file with one bad row is rejected whole (`FurongResource`)."""

from import_export import fields, widgets

from responsibility.models import Column
from responsibility.resources import ChoicesWidget, FurongResource, LookupWidget, text_field

from .models import CatalogueEntry
from .services import catalogue_entry_save


class CatalogueEntryResource(FurongResource):
    column = fields.Field("column", "栏目网址标识", widget=LookupWidget(Column, "slug", "栏目"))
    column_title = fields.Field(column_name="栏目（只读）", readonly=True)
    position = fields.Field("position", "序号", widget=widgets.IntegerWidget())
    matter = text_field("matter", "公开事项（一级事项）")
    sub_matter = text_field("sub_matter", "公开事项（二级事项）")
    content = text_field("content", "公开内容（要素）")
    basis = text_field("basis", "公开依据")
    time_limit = text_field("time_limit", "公开时限")
    cycle_days = fields.Field("cycle_days", "定期公开周期（天）", widget=widgets.IntegerWidget())
    subject = text_field("subject", "公开主体")
    channels = text_field("channels", "公开渠道和载体")
    audience = fields.Field("audience", "公开对象", widget=ChoicesWidget(CatalogueEntry.Audience.choices))
    mode = fields.Field("mode", "公开方式", widget=ChoicesWidget(CatalogueEntry.Mode.choices))
    level = fields.Field("level", "公开层级", widget=ChoicesWidget(CatalogueEntry.Level.choices))

    class Meta(FurongResource.Meta):
        model = CatalogueEntry
        import_id_fields = ("column", "position")
        fields = (
            "column", "column_title", "position", "matter", "sub_matter", "content", "basis", "time_limit",
            "cycle_days", "subject", "channels", "audience", "mode", "level",
        )  # fmt: skip

    def get_export_queryset(self, request=None):
        return CatalogueEntry.objects.in_tree_order()

    def dehydrate_column_title(self, entry):
        return entry.column.title

    def do_instance_save(self, instance, is_create):
        catalogue_entry_save(entry=instance)
