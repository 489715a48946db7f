from django import forms
from django.contrib.admin.widgets import AdminDateWidget, FilteredSelectMultiple
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from disclosure.models import Item

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
    # The task's version when the form was opened (optimistic locking, Task.stale_message).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
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
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    decision = forms.ChoiceField(label="审核结论", choices=TaskReview.Decision.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=TaskReview._meta.get_field("comment").help_text,
    )


class DueDateForm(forms.Form):
    due_on = forms.DateField(label="新的截止日期", widget=AdminDateWidget)


# --- Importing a plan ---------------------------------------------------------------

class PlainSelect(forms.Select):
    """A select whose options are written in Python, not through one template per option.
    The carry-over page holds one select per unfinished task of last year (hundreds, each
    with every new point), and the per-option templates made that page take seconds."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = {"" if v is None else str(v) for v in self.format_value(value)}
        options = format_html_join(
            "", '<option value="{}"{}>{}</option>',
            ((key, " selected" if str(key) in selected else "", label) for key, label in self.choices),
        )
        attributes = flatatt(self.build_attrs(self.attrs, attrs))
        return format_html('<select name="{}"{}>{}</select>', name, attributes, options)


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
                label="结转到要点", required=False, choices=point_choices, widget=PlainSelect,
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
