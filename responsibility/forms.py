"""Forms shared by the pages that import a document naming units."""

from django import forms

from .documents import TEXT_MAX_LENGTH, uploaded_text
from .models import Collective, Unit
from .services import NameChoice, NameMapping


class DocumentUploadForm(forms.Form):
    """A circulated document, as a file or pasted; `clean` leaves its text in "text"."""

    file = forms.FileField(
        label="文件", required=False,
        help_text="Word 文档（.docx）或纯文本（.txt，UTF-8 或 GB18030 编码），按印发的原文。",
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.txt"}),
    )
    text = forms.CharField(
        label="或粘贴全文", required=False, max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 8}),
    )

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload:
            cleaned["text"] = uploaded_text(upload)
        if not (cleaned.get("text") or "").strip():
            raise forms.ValidationError("请上传文件，或粘贴全文。")
        return cleaned


class NameChoicesForm(forms.Form):
    """For each name the register does not know: what it is. Field suffixes are the
    names' positions in `names`, the unknown names of the document's text in order."""

    text = forms.CharField(widget=forms.Textarea(attrs={"hidden": True}), max_length=TEXT_MAX_LENGTH)

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
