from django import forms
from django.contrib.admin.widgets import AdminDateWidget, FilteredSelectMultiple
from django.utils import timezone

from disclosure.models import Item
from responsibility.documents import docx_text
from responsibility.models import Collective, Unit
from responsibility.services import NameChoice, NameMapping

from .models import ProgressReport, TaskReview
from .selectors import evidence_items_for
from .services import EVIDENCE_EXTENSIONS, EVIDENCE_MAX_FILES, evidence_file_validate


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (the pattern of Django's file-upload documentation)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(f".{e}" for e in EVIDENCE_EXTENSIONS)}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        cleaned = [super(MultipleFileField, self).clean(file, initial) for file in files]
        for file in cleaned:
            evidence_file_validate(file)
        return cleaned


class EvidenceItemChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, item: Item) -> str:
        return f"{item.published_at:%Y-%m-%d} {item.title}（{item.column}）"


class ProgressReportForm(forms.Form):
    reported_on = forms.DateField(label="报告日期", widget=AdminDateWidget)
    text = forms.CharField(
        label="进展情况", widget=forms.Textarea(attrs={"rows": 6}), max_length=5000,
        help_text=ProgressReport._meta.get_field("text").help_text,
    )
    public_summary = forms.CharField(
        label="公开进展摘要", required=False, max_length=200, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=ProgressReport._meta.get_field("public_summary").help_text,
    )
    evidence_items = EvidenceItemChoiceField(
        label="佐证信息", queryset=Item.objects.none(), required=False,
        widget=FilteredSelectMultiple("本单位已发布的信息", is_stacked=False),
        help_text="只能选择本单位在平台上已发布的信息。",
    )
    files = MultipleFileField(
        label="佐证文件", required=False,
        help_text=f"可多选，每次最多 {EVIDENCE_MAX_FILES} 个，单个不超过 20 MB；"
        f"格式：{'、'.join(e.upper() for e in EVIDENCE_EXTENSIONS)}。仅本单位和区政务公开办可下载。",
    )
    is_final = forms.BooleanField(
        label="这是最终报告，提交区政务公开办审核", required=False,
        help_text="提交后任务进入待审核，审核结果出来前不能再填报。",
    )

    def __init__(self, *args, task, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("reported_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["evidence_items"].queryset = evidence_items_for(task)


class TaskReviewForm(forms.Form):
    decision = forms.ChoiceField(label="审核结论", choices=TaskReview.Decision.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=TaskReview._meta.get_field("comment").help_text,
    )


class DueDateForm(forms.Form):
    due_on = forms.DateField(label="新的截止日期", widget=AdminDateWidget)


# --- Importing a plan ---------------------------------------------------------------

PLAN_TEXT_MAX_LENGTH = 500_000


class PlanUploadForm(forms.Form):
    file = forms.FileField(
        label="工作要点文件", required=False,
        help_text="Word 文档（.docx）或纯文本（.txt，UTF-8 或 GB18030 编码），按印发的通知原样。",
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.txt"}),
    )
    text = forms.CharField(
        label="或粘贴全文", required=False, max_length=PLAN_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}), help_text="从版头、发文字号直至附件的全文。",
    )

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload:
            cleaned["text"] = uploaded_text(upload)
        if not (cleaned.get("text") or "").strip():
            raise forms.ValidationError("请上传工作要点文件，或粘贴全文。")
        return cleaned


def uploaded_text(upload) -> str:
    """The text of an uploaded .docx or .txt."""
    name = (upload.name or "").lower()
    if name.endswith(".docx"):
        return docx_text(upload)
    if not name.endswith(".txt"):
        raise forms.ValidationError("只能上传 .docx 或 .txt 文件；.doc、.wps 请先另存为 .docx。")
    if upload.size > PLAN_TEXT_MAX_LENGTH * 4:
        raise forms.ValidationError("文件过大，请确认上传的是工作要点。")
    content = upload.read()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise forms.ValidationError("无法识别文件的文字编码，请另存为 UTF-8 文本或 .docx。")


class NameChoicesForm(forms.Form):
    """For each name the register does not know: what it is. Field suffixes are the
    names' positions in `names`, the unknown names of the plan's text in order."""

    text = forms.CharField(widget=forms.Textarea(attrs={"hidden": True}), max_length=PLAN_TEXT_MAX_LENGTH)

    def __init__(self, *args, names: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.names = names
        parties = [
            ("单位", [(f"unit:{unit.pk}", unit.name) for unit in Unit.objects.filter(is_active=True)]),
            ("集合称谓", [(f"collective:{collective.pk}", collective.name) for collective in Collective.objects.all()]),
        ]
        for index, name in enumerate(names):
            self.fields[f"mapping_{index}"] = forms.ChoiceField(
                label=f"“{name}”是", required=False, choices=[("", "（尚未认定）"), *NameMapping.choices]
            )
            self.fields[f"party_{index}"] = forms.ChoiceField(
                label="对应的单位或集合称谓", required=False, choices=[("", "——"), *parties]
            )
            self.fields[f"kind_{index}"] = forms.ChoiceField(
                label="新增单位的类型", required=False, choices=[("", "——"), *Unit.Kind.choices]
            )

    def rows(self):
        """(name, mapping field, party field, kind field) per unknown name, for the template."""
        return [
            (name, self[f"mapping_{index}"], self[f"party_{index}"], self[f"kind_{index}"])
            for index, name in enumerate(self.names)
        ]

    def clean(self):
        cleaned = super().clean()
        choices = {}
        for index, name in enumerate(self.names):
            mapping = cleaned.get(f"mapping_{index}")
            if not mapping:
                continue
            kind = cleaned.get(f"kind_{index}") or ""
            party = self._party(cleaned.get(f"party_{index}"))
            if mapping == NameMapping.NEW_UNIT and not kind:
                self.add_error(f"kind_{index}", f"请选择新增单位“{name}”的类型。")
            elif mapping != NameMapping.NEW_UNIT and party is None:
                self.add_error(f"party_{index}", f"请选择“{name}”对应的单位或集合称谓。")
            elif mapping == NameMapping.RENAME and not isinstance(party, Unit):
                self.add_error(f"party_{index}", "只有单位可以更名；集合称谓的新写法请选“另一名称”。")
            else:
                choices[name] = NameChoice(mapping, None if mapping == NameMapping.NEW_UNIT else party, kind)
        cleaned["choices"] = choices
        return cleaned

    @staticmethod
    def _party(value: str | None):
        kind, _, pk = (value or "").partition(":")
        model = {"unit": Unit, "collective": Collective}.get(kind)
        if model is None or not pk.isdigit():
            return None
        return model.objects.filter(pk=pk).first()


class CarryOverForm(forms.Form):
    """One row per unfinished task of last year: carry it or not, into which point, why."""

    def __init__(self, *args, candidates, points, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        self.points = {str(point.pk): point for point in points}
        point_choices = [("", "——"), *((str(point.pk), f"（{point.chinese_number}）{point.title}") for point in points)]
        for candidate in candidates:
            pk = candidate.task.pk
            self.fields[f"carry_{pk}"] = forms.BooleanField(label="结转", required=False)
            self.fields[f"point_{pk}"] = forms.ChoiceField(
                label="结转到要点", required=False, choices=point_choices,
                initial=str(candidate.suggested.pk) if candidate.suggested else "",
            )
            self.fields[f"reason_{pk}"] = forms.CharField(label="结转原因", required=False, max_length=500)

    def rows(self):
        return [
            (candidate, self[f"carry_{candidate.task.pk}"], self[f"point_{candidate.task.pk}"], self[f"reason_{candidate.task.pk}"])
            for candidate in self.candidates
        ]

    def clean(self):
        cleaned = super().clean()
        decisions = []
        for candidate in self.candidates:
            pk = candidate.task.pk
            if not cleaned.get(f"carry_{pk}"):
                continue
            point = self.points.get(cleaned.get(f"point_{pk}") or "")
            reason = (cleaned.get(f"reason_{pk}") or "").strip()
            if point is None:
                self.add_error(f"point_{pk}", "请选择承接这项工作的要点。")
            elif not reason:
                self.add_error(f"reason_{pk}", "请说明结转原因。")
            else:
                decisions.append((candidate.task, point, reason))
        if not decisions and not self.errors:
            raise forms.ValidationError("请至少勾选一项要结转的任务。")
        cleaned["decisions"] = decisions
        return cleaned
