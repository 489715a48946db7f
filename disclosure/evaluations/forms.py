"""The public 社会评议 form: one satisfaction question per top-level section of the column tree."""

from django import forms

from disclosure.requests.forms import GuardedFormMixin

from .models import Score

NOT_RATED = ""
SCORE_CHOICES = [(str(value), label) for value, label in Score.choices]


class EvaluationForm(GuardedFormMixin, forms.Form):
    token_error = "评议表已过期或无效，请重新填写。"

    timeliness = forms.TypedChoiceField(
        label="政府信息发布是否及时", choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect,
        error_messages={"required": "请评价信息发布的及时性。"},
    )  # fmt: skip
    findability = forms.TypedChoiceField(
        label="查找所需信息是否便捷", choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect,
        error_messages={"required": "请评价查找信息的便捷性。"},
    )  # fmt: skip
    comment = forms.CharField(
        label="意见建议（选填）", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": "意见建议最多 %(limit_value)d 个字。"},
    )  # fmt: skip

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = list(sections)
        for column in self.sections:
            self.fields[f"section_{column.pk}"] = forms.TypedChoiceField(
                label=f"{column.number} {column.title}".strip(), required=False, coerce=int, empty_value=None,
                choices=[*SCORE_CHOICES, (NOT_RATED, "不了解")], widget=forms.RadioSelect, initial=NOT_RATED,
            )  # fmt: skip

    def section_fields(self):
        return [self[f"section_{column.pk}"] for column in self.sections]

    def scores(self) -> dict[int, int]:
        return {
            column.pk: self.cleaned_data[f"section_{column.pk}"]
            for column in self.sections
            if self.cleaned_data.get(f"section_{column.pk}") is not None
        }
