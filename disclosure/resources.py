"""Spreadsheet import (xlsx, csv) and export of items, scoped to the account.

An import only ever creates drafts, through `item_create`, in the columns the
account's unit answers for; rows are checked in a dry run first, applied in one
transaction, and every problem is reported per row in Chinese. An export holds
exactly the items of the filtered admin list, never more than the account sees."""

from datetime import date, datetime

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone
from import_export import fields, widgets

from responsibility.audit import audit_record
from responsibility.models import AuditEvent
from responsibility.resources import ChoicesWidget, FurongResource, text_field

from . import access
from .models import Genre, Item, Theme
from .services import CONTENT_FIELDS, item_create


class ColumnWidget(widgets.Widget):
    """A column as “3-3 规划信息”; on import its 网址标识, its title, or both."""

    def __init__(self, user=None, **kwargs):
        self.user = user
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            raise ValueError("请填写栏目（网址标识或栏目名称，如“3-3”或“规划信息”）。")
        slug, _, title = text.partition(" ")
        columns = access.columns_assignable_by(self.user)
        matches = list(columns.filter(Q(slug=slug) | Q(title=text) | Q(title=title.strip())).distinct()[:2])
        if not matches:
            raise ValueError(f"栏目“{text}”不存在，或不是本单位负责的栏目。")
        if len(matches) > 1:
            raise ValueError(f"栏目名称“{text}”对应多个栏目，请改填网址标识。")
        return matches[0]

    def render(self, value, obj=None, **kwargs):
        return f"{value.slug} {value.title}" if value else ""


class UnitWidget(widgets.Widget):
    """发布机构 by name, short name or alias; left empty it is the account's own unit."""

    def __init__(self, user=None, **kwargs):
        self.user = user
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        units = access.units_assignable_by(self.user)
        if not text:
            own = list(units[:2])
            if len(own) != 1:
                raise ValueError("请填写发布机构。")
            return own[0]
        unit = units.filter(Q(name=text) | Q(short_name=text) | Q(aliases__name=text)).distinct().first()
        if unit is None:
            raise ValueError(f"发布机构“{text}”不存在，或您不能以该单位的名义发布信息。")
        return unit

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class ChineseDateWidget(widgets.DateWidget):
    def __init__(self):
        super().__init__(format="%Y-%m-%d")

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date) or value in (None, ""):
            return value or None
        try:
            return super().clean(str(value).strip().replace("/", "-").replace(".", "-"), row, **kwargs)
        except ValueError:
            raise ValueError(f"日期“{value}”无法识别，请写成 2020-05-01 的格式。") from None


class OptionalChoicesWidget(ChoicesWidget):
    """An empty cell means “the default” (the field's `default`)."""

    def clean(self, value, row=None, **kwargs):
        if not str(value or "").strip():
            return None
        return super().clean(value, row, **kwargs)


class YesNoWidget(widgets.Widget):
    TRUE, FALSE = ("是", "1", "true", "True", "TRUE", "Y", "y"), ("否", "0", "false", "False", "FALSE", "N", "n", "")

    def clean(self, value, row=None, **kwargs):
        text = str(value if value is not None else "").strip()
        if value is True or text in self.TRUE:
            return True
        if value is False or text in self.FALSE:
            return False
        raise ValueError(f"“{text}”应填“是”或“否”。")

    def render(self, value, obj=None, **kwargs):
        return "是" if value else "否"


class DateTimeTextWidget(widgets.Widget):
    def render(self, value, obj=None, **kwargs):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


class ItemResource(FurongResource):
    index_number = fields.Field("index_number", "索引号", readonly=True)
    column = fields.Field("column", "栏目", widget=ColumnWidget())
    unit = fields.Field("unit", "发布机构", widget=UnitWidget())
    title = text_field("title", "标题")
    doc_number = text_field("doc_number", "文号")
    written_on = fields.Field("written_on", "成文日期", widget=ChineseDateWidget())
    theme = fields.Field("theme", "主题分类", widget=OptionalChoicesWidget(Theme.choices), default=Theme.GENERAL)
    genre = fields.Field("genre", "体裁", widget=OptionalChoicesWidget(Genre.choices), default=Genre.NOTICE)
    keywords = text_field("keywords", "关键词")
    is_normative = fields.Field("is_normative", "规范性文件", widget=YesNoWidget())
    body = text_field("body", "正文")
    state = fields.Field("state", "状态", widget=ChoicesWidget(Item.State.choices), readonly=True)
    published_at = fields.Field("published_at", "发布日期", widget=DateTimeTextWidget(), readonly=True)
    validity = fields.Field("validity", "有效性", widget=ChoicesWidget(Item.Validity.choices), readonly=True)

    class Meta(FurongResource.Meta):
        model = Item
        # Every row is a new draft: an import never touches existing items.
        import_id_fields = ()
        force_init_instance = True
        skip_unchanged = False
        clean_model_instances = False  # item_create validates (and sanitises) each row
        fields = (
            "index_number", "column", "unit", "title", "doc_number", "written_on", "theme", "genre",
            "keywords", "is_normative", "body", "state", "published_at", "validity",
        )  # fmt: skip

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self.fields["column"].widget.user = user
        self.fields["unit"].widget.user = user

    # --- export ---

    def export(self, queryset=None, **kwargs):
        # Whatever queryset the caller passes, never more than the account may see.
        queryset = Item.objects.all() if queryset is None else queryset
        queryset = queryset.filter(pk__in=access.items_visible_to(self.user).values("pk"))
        return super().export(queryset=queryset.select_related("column", "unit"), **kwargs)

    # --- import ---

    def _relabelled(self, error: ValidationError) -> ValidationError:
        """The same errors keyed by the sheet's Chinese column headers."""
        labels = {field.attribute: field.column_name for field in self.fields.values()}
        if not hasattr(error, "error_dict"):
            return ValidationError({NON_FIELD_ERRORS: error.messages})
        return ValidationError(
            {labels.get(name, name): messages for name, messages in error.message_dict.items()}
        )

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            raise self._relabelled(error) from None

    def do_instance_save(self, instance, is_create):
        data = {name: getattr(instance, name) for name in CONTENT_FIELDS if name not in ("column", "unit")}
        try:
            item = item_create(
                actor=self.user,
                column=getattr(instance, "column", None),
                unit=getattr(instance, "unit", None),
                data=data,
                imported=True,
            )
        except PermissionDenied as error:
            raise ValidationError({NON_FIELD_ERRORS: [str(error) or "您没有导入信息的权限。"]}) from None
        except ValidationError as error:
            raise self._relabelled(error) from None
        instance.pk = item.pk
        instance._state.adding = False

    def after_import(self, dataset, result, **kwargs):
        if kwargs.get("dry_run") or result.has_errors() or result.has_validation_errors():
            return
        audit_record(
            action=AuditEvent.Action.ITEMS_IMPORTED,
            actor=self.user,
            target=kwargs.get("file_name") or "",
            detail={"created": result.totals.get("new", 0)},
        )
