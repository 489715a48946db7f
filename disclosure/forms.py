"""Back-office forms for items. Choice lists come from `disclosure.access`, so a
value the account may not use fails validation like any wrong choice; the write
services check again."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_prose_editor.widgets import AdminProseEditorWidget

from . import access
from .models import Item
from .services import item_stale_message, item_version
from .uploads import validate_attachment


def column_path(column) -> str:
    """“三 法定主动公开内容 › 3. 规划信息”: a column named with its ancestors."""
    parts = []
    while column is not None:
        parts.append(f"{column.number} {column.title}".strip())
        column = column.parent
    return " › ".join(reversed(parts))


class ColumnChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, column):
        return column_path(column)


# The editor's toolbar offers exactly what the allow-list keeps (disclosure.sanitize);
# its assets ship with django-prose-editor and are served by us (no CDN).
BODY_EDITOR = {
    "extensions": {
        "Bold": True, "Italic": True, "Underline": True, "Strike": True, "Subscript": True, "Superscript": True,
        "Heading": {"levels": [2, 3, 4]}, "BulletList": True, "OrderedList": True, "ListItem": True,
        "Blockquote": True, "HorizontalRule": True, "HardBreak": True, "Link": {"enableTarget": False},
        "Table": True, "TableRow": True, "TableHeader": True, "TableCell": True,
        # Images imported from Word (attachments shown inline) must survive editing.
        "Image": True, "History": True, "HTML": True,
    }
}  # fmt: skip


class ItemAdminForm(forms.ModelForm):
    # The item's version when the form was opened (optimistic locking, services.item_version).
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["version"] = item_version(self.instance)

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            stale = item_stale_message(self.instance, data.get("version") or "")
            if stale:
                raise forms.ValidationError(stale, code="stale")
        return data

    class Meta:
        model = Item
        fields = (
            "column", "unit", "title", "doc_number", "written_on", "theme", "genre",
            "keywords", "is_normative", "normative_kind", "interprets", "body",
        )  # fmt: skip
        widgets = {
            "title": forms.TextInput(attrs={"size": 80}),
            "body": AdminProseEditorWidget(config=BODY_EDITOR, preset="configurable", attrs={"rows": 18}),
        }
        help_texts = {
            "body": "可直接输入或从 Word 粘贴（自动清理格式），也可在保存后点击“从 Word 导入正文”导入 .docx 文档（含图片）。"
            "保存时自动清除脚本等不安全内容。",
            "column": "只列出本单位在平台内容保障责任分解表中负责的栏目。",
            "is_normative": "行政规范性文件发布后须标注有效性（国办发〔2017〕47号）。",
        }


class AttachmentUploadForm(forms.ModelForm):
    """A new attachment: its real content is checked before anything is saved."""

    class Meta:
        fields = ("file", "name")
        labels = {"name": "显示名称（可不填，默认用文件名）"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if file:
            validate_attachment(file)
        return file


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=1000, widget=forms.Textarea(attrs={"rows": 4, "cols": 80}))

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError("请填写原因。")
        return reason


SECRECY_LABEL = "已完成保密审查：本信息不涉及国家秘密、工作秘密、商业秘密和个人隐私，可以公开（国办发〔2017〕47号）"


class SecrecyForm(forms.Form):
    """The 保密审查 confirmation a reviewer gives with an approval."""

    secrecy_confirmed = forms.BooleanField(
        label=SECRECY_LABEL, error_messages={"required": "发布前须完成保密审查并勾选确认。"}
    )


class ReviewForm(forms.Form):
    PUBLISH, SCHEDULE, RETURN = "publish", "schedule", "return"

    decision = forms.ChoiceField(
        label="审核结论",
        choices=((PUBLISH, "审核通过，立即发布"), (SCHEDULE, "审核通过，定时发布"), (RETURN, "退回修改")),
        widget=forms.RadioSelect,
    )
    publish_at = forms.DateTimeField(
        label="定时发布时间",
        required=False,
        input_formats=("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="到达该时间后自动在公开网站显示，无需再操作。",
    )
    reason = forms.CharField(
        label="退回原因", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text="退回时必填，信息员将看到该原因。",
    )  # fmt: skip
    secrecy_confirmed = forms.BooleanField(label=SECRECY_LABEL, required=False, help_text="审核通过（立即或定时发布）时必须勾选。")

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision in (self.PUBLISH, self.SCHEDULE) and not data.get("secrecy_confirmed"):
            self.add_error("secrecy_confirmed", "发布前须完成保密审查并勾选确认。")
        if decision == self.SCHEDULE:
            at = data.get("publish_at")
            if at is None:
                self.add_error("publish_at", "定时发布须填写发布时间。")
            elif at <= timezone.now():
                self.add_error("publish_at", "定时发布的时间必须晚于当前时间。")
        if decision == self.RETURN and not (data.get("reason") or "").strip():
            self.add_error("reason", "退回时必须填写退回原因。")
        return data


class ValidityForm(forms.Form):
    validity = forms.ChoiceField(label="有效性", choices=Item.Validity.choices)
    since = forms.DateField(
        label="日期", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="失效或废止的日期；标为有效时可不填。",
    )  # fmt: skip
    successor = forms.CharField(
        label="替代文件的索引号", required=False, max_length=40,
        help_text="如有新文件替代本文件，填写新文件的索引号，例如 000014349/2020-00012。",
    )  # fmt: skip

    def __init__(self, *args, user, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.item = user, item

    def clean_successor(self):
        number = self.cleaned_data["successor"].strip()
        if not number:
            return None
        successor = access.items_linkable_by(self.user).exclude(pk=self.item.pk).filter(index_number=number).first()
        if successor is None:
            raise ValidationError("找不到索引号为“%(number)s”的已发布信息。", params={"number": number})
        return successor

    def clean(self):
        data = super().clean()
        if data.get("validity") in (Item.Validity.EXPIRED, Item.Validity.REPEALED) and not data.get("since"):
            self.add_error("since", "标记为失效或废止时必须填写日期。")
        return data


class DocxImportForm(forms.Form):
    file = forms.FileField(
        label="Word 文档（.docx）",
        help_text="导入后替换当前正文；文档中的图片作为附件保存并显示在正文相应位置。导入前先预览。",
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"}),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith(".docx"):
            raise ValidationError("请选择 .docx 格式的 Word 文档（旧版 .doc 请先在 Word 中另存为 .docx）。")
        return file
