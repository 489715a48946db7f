"""Spreadsheet import/export of the work points; their units follow from the closing clause."""

from django.core.exceptions import ValidationError
from import_export import fields, widgets

from responsibility.resources import FurongResource, LookupWidget, text_field
from responsibility.services import party_resolve

from .models import Section, WorkPoint
from .services import units_clause_parse, work_point_parties_replace


class SectionWidget(LookupWidget):
    """A section by its number (一 … 五) within the document named in the same row."""

    def get_queryset(self, value, row, *args, **kwargs):
        return Section.objects.filter(document__doc_number=(row or {}).get("发文字号", ""))


class WorkPointResource(FurongResource):
    doc_number = fields.Field("section__document__doc_number", "发文字号", readonly=True)
    section = fields.Field("section", "板块", widget=SectionWidget(Section, "number", "板块"))
    number = fields.Field("number", "序号", widget=widgets.IntegerWidget())
    title = text_field("title", "标题")
    text = text_field("text", "全文")
    units_clause = text_field("units_clause", "责任单位括注")
    parties = fields.Field(column_name="责任单位（只读，由括注生成）", readonly=True)

    class Meta(FurongResource.Meta):
        model = WorkPoint
        import_id_fields = ("section", "number")
        fields = ("doc_number", "section", "number", "title", "text", "units_clause", "parties")

    def get_export_queryset(self, request=None):
        return WorkPoint.objects.with_parties().select_related("section__document")

    def dehydrate_parties(self, point):
        return "；".join(f"{party.printed_name}（{party.get_role_display()}）" for party in point.parties.all())

    def row_errors(self, point):
        try:
            for name, _role in units_clause_parse(point.units_clause or ""):
                party_resolve(name)
        except ValidationError as error:
            return {"units_clause": error.messages}
        return {}

    def after_save_instance(self, instance, row, **kwargs):
        work_point_parties_replace(work_point=instance, units_clause=instance.units_clause)
