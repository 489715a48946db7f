"""Spreadsheet import/export (xlsx, csv) of units and the column tree with its duties.

Column headers are Chinese so that a unit's staff can edit the sheet directly.
Imports run in one transaction and are rejected whole if any row is invalid."""

import json

from django.core.exceptions import ValidationError
from import_export import fields, resources, widgets

from furong_portal.pagecache import public_pages_changed

from .models import AuditEvent, Column, Unit
from .services import column_duties_replace, party_resolve, responsibility_text_split


class ChoicesWidget(widgets.Widget):
    """Shows a choice by its Chinese label and accepts the label or the stored value."""

    def __init__(self, choices, **kwargs):
        self.label_by_value = dict(choices)
        self.value_by_label = {label: value for value, label in choices}
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        value = (value or "").strip()
        if value in self.label_by_value:
            return value
        if value in self.value_by_label:
            return self.value_by_label[value]
        raise ValueError(f"“{value}”不是有效选项，可选：{'、'.join(self.value_by_label)}。")

    def render(self, value, obj=None, **kwargs):
        return self.label_by_value.get(value, value)


class LookupWidget(widgets.ForeignKeyWidget):
    """A foreign key by a natural key, with a Chinese message when nothing matches."""

    def __init__(self, model, field, label, **kwargs):
        self.label = label
        super().__init__(model, field=field, **kwargs)

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row=row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(f"找不到{self.label}“{value}”。") from None


def text_field(attribute: str, column_name: str) -> fields.Field:
    # Spreadsheet cells left empty arrive as None; our text columns store "" instead.
    return fields.Field(attribute, column_name, widget=widgets.CharWidget(allow_blank=True))


class FurongResource(resources.ModelResource):
    """Shared import behaviour: unchanged rows are skipped, models are validated."""

    class Meta:
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        clean_model_instances = True

    def import_instance(self, instance, row, **kwargs):
        # Field errors and the row's own checks are reported together, under the row's number.
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        errors.update(self.row_errors(instance))
        if errors:
            raise ValidationError(errors)

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if not kwargs.get("dry_run") and not result.has_errors() and not result.has_validation_errors():
            public_pages_changed()

    def row_errors(self, instance) -> dict[str, list[str]]:
        """Checks beyond the model's own validation, by field; none by default."""
        return {}


class UnitResource(FurongResource):
    name = text_field("name", "规范名称")
    short_name = text_field("short_name", "简称")
    kind = fields.Field("kind", "单位类型", widget=ChoicesWidget(Unit.Kind.choices))
    code = text_field("code", "机构代码")
    email = text_field("email", "联系邮箱")
    order = fields.Field("order", "排序", widget=widgets.IntegerWidget())
    is_active = fields.Field("is_active", "启用", widget=widgets.BooleanWidget())
    aliases = fields.Field(column_name="别称（只读）", readonly=True)

    class Meta(FurongResource.Meta):
        model = Unit
        import_id_fields = ("name",)
        fields = ("name", "short_name", "kind", "code", "email", "order", "is_active", "aliases")

    def dehydrate_aliases(self, unit):
        return "、".join(alias.name for alias in unit.aliases.all())


class ColumnResource(FurongResource):
    slug = text_field("slug", "网址标识")
    parent = fields.Field("parent", "上级栏目", widget=LookupWidget(Column, "slug", "上级栏目"))
    number = text_field("number", "序号")
    title = text_field("title", "标题")
    order = fields.Field("order", "排序", widget=widgets.IntegerWidget())
    note = text_field("note", "备注")
    responsibility_text = text_field("responsibility_text", "责任单位")
    update_cycle = fields.Field("update_cycle", "更新要求", widget=ChoicesWidget(Column.UpdateCycle.choices))
    stale_after_days = fields.Field("stale_after_days", "超期天数", widget=widgets.IntegerWidget())

    class Meta(FurongResource.Meta):
        model = Column
        import_id_fields = ("slug",)
        fields = (
            "slug", "parent", "number", "title", "order", "note",
            "responsibility_text", "update_cycle", "stale_after_days",
        )

    def get_export_queryset(self, request=None):
        return Column.objects.select_related("parent").order_by("level", "parent__slug", "order")

    def row_errors(self, column):
        unknown = []
        for name in responsibility_text_split(column.responsibility_text or ""):
            try:
                party_resolve(name)
            except ValidationError as error:
                unknown.extend(error.messages)
        return {"responsibility_text": unknown} if unknown else {}

    def after_save_instance(self, instance, row, **kwargs):
        column_duties_replace(column=instance, responsibility_text=instance.responsibility_text)


class AuditEventResource(resources.ModelResource):
    """Export only: the audit log is never imported or changed."""

    created_at = fields.Field("created_at", "时间", widget=widgets.DateTimeWidget(format="%Y-%m-%d %H:%M:%S"))
    username = fields.Field("username", "用户名")
    action = fields.Field("action", "事件", widget=ChoicesWidget(AuditEvent.Action.choices))
    outcome = fields.Field("outcome", "结果", widget=ChoicesWidget(AuditEvent.Outcome.choices))
    target = fields.Field("target", "对象")
    target_type = fields.Field("target_type", "对象类型")
    target_id = fields.Field("target_id", "对象编号")
    ip_address = fields.Field("ip_address", "IP 地址")
    detail = fields.Field("detail", "详情")

    class Meta:
        model = AuditEvent
        fields = ("created_at", "username", "action", "outcome", "target", "target_type", "target_id", "ip_address", "detail")

    def dehydrate_detail(self, event):
        return json.dumps(event.detail, ensure_ascii=False, sort_keys=True) if event.detail else ""
