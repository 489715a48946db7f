"""The public comment form and the staff's feedback form. Rules live in `services`."""

from django import forms

from disclosure.requests.forms import GuardedFormMixin, plain_length_messages

from .models import Comment


class CommentForm(GuardedFormMixin, forms.ModelForm):
    """Anyone may comment: name and contact are optional, the contact is never shown."""

    token_error = "意见表已过期或无效，请核对内容后重新提交。"

    class Meta:
        model = Comment
        fields = ("kind", "name", "contact", "body")
        widgets = {"kind": forms.RadioSelect, "body": forms.Textarea(attrs={"rows": 8})}
        labels = {"name": "姓名或单位名称（选填）", "contact": "联系方式（选填，不会公开）"}
        help_texts = {"kind": "企业和行业协会商会的意见将单独统计（工作要点第（五）条）。"}
        error_messages = {"body": {"required": "请填写意见内容。"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plain_length_messages(self)


class FinalDocumentForm(forms.Form):
    """The final document, named by its 索引号 among the unit's published items."""

    final_document = forms.CharField(
        label="正式出台文件的索引号", required=False, max_length=40,
        help_text="本单位已发布的正式文件，如 000014349/2020-00110；留空表示尚未出台。",
    )  # fmt: skip

    def __init__(self, *args, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.documents = documents

    def clean_final_document(self):
        number = self.cleaned_data["final_document"].strip()
        if not number:
            return None
        document = self.documents.filter(index_number=number).first()
        if document is None:
            raise forms.ValidationError("找不到该索引号对应的本单位已发布信息。")
        return document


class FeedbackForm(FinalDocumentForm):
    feedback = forms.CharField(
        label="意见采纳情况说明", widget=forms.Textarea(attrs={"rows": 8}),
        help_text="概述收到意见的总体情况、采纳情况和未采纳的主要理由；逐条意见的处理结果会一并公开。",
    )  # fmt: skip
    field_order = ("feedback", "final_document")
