"""Forms of the public request pages and of the office's steps. They check input and offer
choices; the rules of the procedure live in `services`."""

import datetime as dt
import secrets

import filetype
from django import forms
from django.core import signing
from django.utils import timezone

from responsibility import access

from .models import (
    MAX_EXTENSION_WORKING_DAYS,
    ApplicantKind,
    Channel,
    FeeNotice,
    InformationRequest,
    OrganisationType,
    Outcome,
    OutcomeReason,
)
from .selectors import addressable_units, assignable_units
from .services import APPLICATION_FIELDS

UNKNOWN_UNIT = "unknown"


def date_widget() -> forms.DateInput:
    # An <input type="date"> takes ISO dates only, whatever the active language's format.
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


UNKNOWN_UNIT_LABEL = "不清楚（由区政务公开办转办）"
FORM_TOKEN_SALT = "furong.requests.form-token"
FORM_TOKEN_MAX_AGE = 4 * 60 * 60
LETTER_MAX_BYTES = 20 * 1024 * 1024
LETTER_EXTENSIONS = {"pdf", "ofd", "doc", "docx", "jpg", "jpeg", "png"}
# What `filetype` recognises each allowed kind as (OFD and DOCX are zip containers).
LETTER_SNIFFED = {"pdf", "doc", "docx", "zip", "jpg", "png"}

REQUIRED_MESSAGES = {
    "applicant_kind": "请选择申请人类型。",
    "applicant_name": "请填写申请人姓名或名称。",
    "id_type": "请选择证件类型。",
    "id_number": "请填写证件号码。",
    "description": "请描述所需政府信息的内容。",
    "medium": "请选择获取信息的载体。",
    "delivery": "请选择获取信息的方式。",
    "unit": "请选择受理单位；不清楚时请选“不清楚”。",
}


def plain_length_messages(form: forms.Form) -> None:
    """Django's stock wording ("确保该变量包含不超过…") reads oddly to the public."""
    for field in form.fields.values():
        if getattr(field, "max_length", None):
            field.error_messages["max_length"] = "最多填写 %(limit_value)d 个字，现在是 %(show_value)d 个。"
            if not field.widget.is_hidden:  # maxlength is not allowed on hidden inputs (HTML spec)
                field.widget.attrs.setdefault("maxlength", field.max_length)


def issue_form_token() -> str:
    """A signed one-time token; the request it produces stores its nonce (replay protection)."""
    return signing.dumps({"nonce": secrets.token_urlsafe(24)}, salt=FORM_TOKEN_SALT)


def read_form_token(token: str) -> str | None:
    """The nonce of a valid, unexpired token, or None."""
    try:
        return signing.loads(token, salt=FORM_TOKEN_SALT, max_age=FORM_TOKEN_MAX_AGE)["nonce"]
    except (signing.BadSignature, KeyError, TypeError):
        return None


class ApplicationForm(forms.ModelForm):
    """What 条例 第二十九条 asks of an applicant, used by the public form and the office's
    registration alike. `unit` offers the units of column 五 plus "不清楚"."""

    applicant_kind = forms.ChoiceField(
        label="申请人类型", choices=ApplicantKind.choices, widget=forms.RadioSelect,
        error_messages={"required": REQUIRED_MESSAGES["applicant_kind"], "invalid_choice": "请选择有效的申请人类型。"},
    )
    organisation_type = forms.ChoiceField(
        label="法人或其他组织类型", required=False, choices=[("", "—— 自然人无需选择 ——"), *OrganisationType.choices],
        error_messages={"invalid_choice": "请选择有效的法人或其他组织类型。"},
    )
    unit = forms.ChoiceField(
        label="受理单位",
        error_messages={"required": REQUIRED_MESSAGES["unit"], "invalid_choice": "请选择有效的受理单位；不清楚时请选“不清楚”。"},
    )

    class Meta:
        model = InformationRequest
        fields = [name for name in APPLICATION_FIELDS if name != "unit"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "medium": forms.RadioSelect,
            "delivery": forms.RadioSelect,
        }
        error_messages = {
            name: {"required": message, "invalid_choice": "请从列表中选择。"} for name, message in REQUIRED_MESSAGES.items()
        } | {"email": {"invalid": "请输入有效的电子邮箱地址。"}}

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {str(unit.pk): unit for unit in (units if units is not None else addressable_units())}
        self.fields["unit"].choices = [
            ("", "请选择"),
            (UNKNOWN_UNIT, UNKNOWN_UNIT_LABEL),
            *((pk, unit.name) for pk, unit in self.units.items()),
        ]
        plain_length_messages(self)
        for name in ("medium", "delivery"):
            self.fields[name].choices = [choice for choice in self.fields[name].choices if choice[0]]

    def clean_unit(self):
        value = self.cleaned_data["unit"]
        return None if value == UNKNOWN_UNIT else self.units[value]

    def clean_applicant_name(self):
        return self.cleaned_data["applicant_name"].strip()

    def details(self) -> dict:
        return {name: self.cleaned_data[name] for name in APPLICATION_FIELDS}


class GuardedFormMixin:
    """The abuse controls of every public form without an account (this one, 意见征集 comments,
    社会评议): a honeypot field people never see and a signed one-time token. Templates render
    `form.token` and, hidden by the `requests-hp` class, `form.website`."""

    token_error = "表单已过期或无效，请核对内容后重新提交。"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Hidden from people by CSS; a bot that fills every field fills this too.
        self.fields["website"] = forms.CharField(
            label="网站（请勿填写）", required=False, max_length=200,
            widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
        )  # fmt: skip
        self.fields["token"] = forms.CharField(widget=forms.HiddenInput, max_length=400)

    @property
    def is_bot(self) -> bool:
        return bool((self.data.get("website") or "").strip())

    def clean_token(self):
        nonce = read_form_token(self.cleaned_data["token"])
        if nonce is None:
            raise forms.ValidationError(self.token_error)
        return nonce

    def renew_token_if_expired(self) -> None:
        """After an expired token, give the re-shown form a fresh one."""
        if "token" in self.errors:
            self.data = self.data.copy()
            self.data["token"] = issue_form_token()


class PublicRequestForm(GuardedFormMixin, ApplicationForm):
    """The public form, with the abuse controls of `GuardedFormMixin`."""

    token_error = "申请表已过期或无效，请核对内容后重新提交。"
    agree = forms.BooleanField(
        label="本人承诺所填信息真实有效，并已阅读《依申请公开办理须知》。",
        error_messages={"required": "请确认所填信息真实有效。"},
    )


class RegisterForm(ApplicationForm):
    """The office registers a request it received on paper, by post, fax, email or in person."""

    channel = forms.ChoiceField(label="申请渠道", choices=[c for c in Channel.choices if c[0] != Channel.ONLINE])
    received_on = forms.DateField(
        label="收到申请日期", help_text="条例第三十一条：当面提交为提交之日；邮寄为签收之日；传真、电子邮件为双方确认之日。",
        widget=date_widget(),
    )
    note = forms.CharField(label="登记说明", required=False, max_length=500)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, units=assignable_units(user), **kwargs)
        if not access.is_district_office(user):
            # A unit registers what it received itself; routing is the office's.
            self.fields["unit"].choices = [choice for choice in self.fields["unit"].choices if choice[0] not in ("", UNKNOWN_UNIT)]

    def clean_received_on(self):
        received_on = self.cleaned_data["received_on"]
        if received_on > timezone.localdate():
            raise forms.ValidationError("收到申请日期不能晚于今天。")
        return received_on


class LookupForm(forms.Form):
    number = forms.CharField(
        label="申请编号", max_length=20, error_messages={"required": "请填写申请编号。"},
        widget=forms.TextInput(attrs={"placeholder": "如 YSQ-2020-00001", "autocomplete": "off"}),
    )
    code = forms.CharField(
        label="查询码", max_length=20, error_messages={"required": "请填写查询码。"},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plain_length_messages(self)

    def clean_number(self):
        return self.cleaned_data["number"].strip().upper()


class CorrectionForm(forms.Form):
    text = forms.CharField(
        label="补正内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "请填写补正内容。"},
        help_text="请按补正要求写明所需信息的名称、文号或者便于查询的其他特征性描述。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plain_length_messages(self)


# --- The office's steps ------------------------------------------------------------


def _date_field(label: str, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, initial=timezone.localdate, widget=date_widget(), **kwargs)


class AcceptForm(forms.Form):
    on = _date_field("受理日期")


class ReassignForm(forms.Form):
    unit = forms.ModelChoiceField(label="转办至", queryset=None, error_messages={"invalid_choice": "请选择有效的单位。"})
    note = forms.CharField(label="转办说明", required=False, max_length=500)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = assignable_units(user)


class AskCorrectionForm(forms.Form):
    instructions = forms.CharField(
        label="需要补正的事项", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="一次性告知申请人需要补正的全部事项（条例第三十条）。",
    )
    due_on = forms.DateField(label="补正期限", widget=date_widget())
    asked_on = _date_field("告知补正日期")


class ReceiveCorrectionForm(forms.Form):
    text = forms.CharField(label="补正内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    received_on = _date_field("收到补正日期")


class ExtendForm(forms.Form):
    days = forms.IntegerField(label="延长工作日数", min_value=1, max_value=MAX_EXTENSION_WORKING_DAYS, initial=20)
    reason = forms.CharField(label="延期理由", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    approver = forms.CharField(label="批准人", max_length=100, help_text="政府信息公开工作机构负责人（条例第三十三条）。")
    extended_on = _date_field("延期日期")


class ConsultationStartForm(forms.Form):
    party = forms.CharField(label="征求意见对象", max_length=200, help_text="第三方或其他机关的名称。")
    started_on = _date_field("开始日期")
    note = forms.CharField(label="说明", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ConsultationEndForm(forms.Form):
    ended_on = _date_field("结束日期")
    note = forms.CharField(label="说明", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class FeeNoticeForm(forms.Form):
    basis = forms.ChoiceField(
        label="计收方式", choices=FeeNotice.Basis.choices,
        help_text="按件计收：申请人一个自然月内第11件起收费；按量计收：单件申请30页以上部分收费（国办函〔2020〕109号）。",
    )  # fmt: skip
    pages = forms.IntegerField(label="页数", required=False, min_value=1, max_value=1_000_000, help_text="按量计收时填写。")
    issued_on = _date_field("通知日期")
    note = forms.CharField(label="说明", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class FeePaidForm(forms.Form):
    paid_on = _date_field("缴费日期")


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(label="办理结果", choices=[("", "请选择"), *Outcome.choices])
    outcome_reason = forms.ChoiceField(
        label="具体情形", required=False,
        choices=[("", "——（予以公开、部分公开无需选择）——")]
        + [
            (outcome.label, [(reason.value, reason.label) for reason in OutcomeReason.for_outcome(outcome)])
            for outcome in Outcome
            if OutcomeReason.for_outcome(outcome)
        ],
    )
    letter_number = forms.CharField(label="答复书文号", max_length=60, help_text="如 芙政信复〔2020〕12号。")
    letter_text = forms.CharField(
        label="答复书正文", required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 10})
    )
    letter_file = forms.FileField(
        label="答复书文件", required=False, help_text="PDF、OFD、Word 或图片，不超过 20 MB。"
    )
    sent_on = _date_field("答复日期")

    def clean_letter_file(self):
        upload = self.cleaned_data.get("letter_file")
        if not upload:
            return upload
        extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if extension not in LETTER_EXTENSIONS:
            raise forms.ValidationError("答复书文件只接受 PDF、OFD、Word 或 JPG/PNG 图片。")
        if upload.size > LETTER_MAX_BYTES:
            raise forms.ValidationError("答复书文件不能超过 20 MB。")
        kind = filetype.guess(upload.read(2048))
        upload.seek(0)
        if kind is None or kind.extension not in LETTER_SNIFFED:
            raise forms.ValidationError("文件内容与扩展名不符，请上传真实的 PDF、OFD、Word 或图片文件。")
        return upload

    def clean(self):
        data = super().clean()
        if not (data.get("letter_text") or "").strip() and not data.get("letter_file"):
            self.add_error("letter_text", "请填写答复书正文或上传答复书文件。")
        return data


class WithdrawForm(forms.Form):
    note = forms.CharField(label="撤回说明", max_length=500, help_text="如“申请人于当日书面申请撤回”。")
    withdrawn_on = _date_field("撤回日期")


class ExportForm(forms.Form):
    first = forms.DateField(label="收到日期自", widget=date_widget())
    last = forms.DateField(label="至", widget=date_widget())
    include_identity = forms.BooleanField(
        label="包含申请人身份和联系信息", required=False, help_text="仅区政务公开办可导出个人信息，请妥善保管。"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not access.is_district_office(user):
            del self.fields["include_identity"]
        today = timezone.localdate()
        self.fields["first"].initial = dt.date(today.year, 1, 1)
        self.fields["last"].initial = today

    def clean(self):
        data = super().clean()
        if data.get("first") and data.get("last") and data["first"] > data["last"]:
            raise forms.ValidationError("起始日期不能晚于截止日期。")
        data.setdefault("include_identity", False)
        return data
