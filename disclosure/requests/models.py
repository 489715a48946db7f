"""Requests for government information (依申请公开), their history, third-party consultations,
and the office's holiday calendar that working-day deadlines are counted on."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from furong_portal.personal_data import SM4EncryptedField
from furong_portal.storage import private_storage
from responsibility.models import Unit

from . import identity

# 条例 第三十三条: answer within 20 working days; one extension of at most 20 more.
ANSWER_WORKING_DAYS = 20
MAX_EXTENSION_WORKING_DAYS = 20
# 条例 第三十条: the office asks for corrections once, within 7 working days of receipt.
CORRECTION_ASK_WORKING_DAYS = 7
# 条例 第三十二条: a consulted third party answers within 15 working days; silence lets the
# agency decide, so the answer clock stops for no longer than that.
CONSULTATION_WORKING_DAYS = 15
# A request with this many working days left or fewer is flagged as at risk.
AT_RISK_WORKING_DAYS = 5


class ApplicantKind(models.TextChoices):
    """The two column groups of the annual report's table 三."""

    PERSON = "person", "自然人"
    ORGANISATION = "organisation", "法人或其他组织"


class OrganisationType(models.TextChoices):
    """The sub-columns of 法人或其他组织 in table 三 (国办公开办函〔2021〕30号)."""

    BUSINESS = "business", "商业企业"
    RESEARCH = "research", "科研机构"
    PUBLIC_INTEREST = "public_interest", "社会公益组织"
    LEGAL_SERVICE = "legal_service", "法律服务机构"
    OTHER = "other", "其他"


class IdType(models.TextChoices):
    ID_CARD = "id_card", "居民身份证"
    PASSPORT = "passport", "护照"
    HK_MACAO = "hk_macao", "港澳居民来往内地通行证"
    TAIWAN = "taiwan", "台湾居民来往大陆通行证"
    FOREIGN_RESIDENCE = "foreign_residence", "外国人永久居留身份证"
    CREDIT_CODE = "credit_code", "统一社会信用代码"
    ORGANISATION_CODE = "organisation_code", "组织机构代码"
    OTHER = "other", "其他证件"


ID_NUMBER_CHECKS = {
    IdType.ID_CARD: identity.id_card_error,
    IdType.CREDIT_CODE: identity.credit_code_error,
    IdType.ORGANISATION_CODE: identity.organisation_code_error,
}
PERSON_ID_TYPES = (IdType.ID_CARD, IdType.PASSPORT, IdType.HK_MACAO, IdType.TAIWAN, IdType.FOREIGN_RESIDENCE, IdType.OTHER)
ORGANISATION_ID_TYPES = (IdType.CREDIT_CODE, IdType.ORGANISATION_CODE, IdType.OTHER)


class Channel(models.TextChoices):
    """How a request arrived; 条例 第三十一条 fixes the day the clock starts for each."""

    ONLINE = "online", "网上申请"
    EMAIL = "email", "电子邮件"
    FAX = "fax", "传真"
    POST = "post", "信函"
    IN_PERSON = "in_person", "当面提交"


class Medium(models.TextChoices):
    PAPER = "paper", "纸质"
    ELECTRONIC = "electronic", "电子"


class Delivery(models.TextChoices):
    PICKUP = "pickup", "自行领取"
    POST = "post", "邮寄"
    EMAIL = "email", "电子邮件"
    ONLINE = "online", "网上查阅"


# 条例 第二十九条: the form wanted (paper/electronic) and how it is delivered go together.
DELIVERIES_BY_MEDIUM = {
    Medium.PAPER: (Delivery.PICKUP, Delivery.POST),
    Medium.ELECTRONIC: (Delivery.EMAIL, Delivery.ONLINE, Delivery.PICKUP),
}


class State(models.TextChoices):
    REGISTERED = "registered", "已登记"
    CORRECTION = "correction", "补正中"
    CORRECTION_LAPSED = "correction_lapsed", "逾期不补正"
    PROCESSING = "processing", "办理中"
    EXTENDED = "extended", "延期办理中"
    ANSWERED = "answered", "已答复"
    WITHDRAWN = "withdrawn", "已撤回"


OPEN_STATES = (State.REGISTERED, State.CORRECTION, State.PROCESSING, State.EXTENDED)
CLOSED_STATES = (State.CORRECTION_LAPSED, State.ANSWERED, State.WITHDRAWN)


class Step(models.TextChoices):
    """The steps of the procedure (条例 第二十九–三十六条); the value is the admin's URL part."""

    ACCEPT = "accept", "受理办理"
    REASSIGN = "reassign", "转办"
    ASK_CORRECTION = "ask-correction", "告知补正"
    RECEIVE_CORRECTION = "receive-correction", "补正"
    LAPSE_CORRECTION = "lapse-correction", "按逾期不补正办结"
    EXTEND = "extend", "延期"
    CONSULT = "consult", "征求意见"
    END_CONSULTATION = "end-consultation", "结束征求意见"
    FEE_NOTICE = "fee-notice", "发出收费通知"
    FEE_PAID = "fee-paid", "登记缴费"
    ANSWER = "answer", "答复"
    WITHDRAW = "withdraw", "撤回"


# The one table of the procedure's transitions: the states each step may be taken from.
# The services refuse a step from any other state; the admin offers a step's button only here.
STEP_FROM_STATES: dict[Step, tuple[State, ...]] = {
    Step.ACCEPT: (State.REGISTERED,),
    Step.REASSIGN: OPEN_STATES,
    Step.ASK_CORRECTION: (State.REGISTERED, State.PROCESSING),
    Step.RECEIVE_CORRECTION: (State.CORRECTION,),
    Step.LAPSE_CORRECTION: (State.CORRECTION,),
    Step.EXTEND: (State.PROCESSING,),
    Step.CONSULT: (State.PROCESSING, State.EXTENDED),
    Step.END_CONSULTATION: (State.PROCESSING, State.EXTENDED),
    Step.FEE_NOTICE: (State.PROCESSING, State.EXTENDED),
    Step.FEE_PAID: (State.PROCESSING, State.EXTENDED),
    Step.ANSWER: (State.REGISTERED, State.PROCESSING, State.EXTENDED),
    Step.WITHDRAW: OPEN_STATES,
}


class Outcome(models.TextChoices):
    """Rows (一)–(六) of 三、本年度办理结果 in the annual report (国办公开办函〔2021〕30号)."""

    DISCLOSED = "disclosed", "予以公开"
    PARTLY = "partly", "部分公开"
    WITHHELD = "withheld", "不予公开"
    UNAVAILABLE = "unavailable", "无法提供"
    NOT_PROCESSED = "not_processed", "不予处理"
    OTHER = "other", "其他处理"


class OutcomeReason(models.TextChoices):
    """The numbered sub-rows of the outcomes that have them; the value starts with the outcome."""

    WITHHELD_STATE_SECRET = "withheld_1", "属于国家秘密"
    WITHHELD_LAW = "withheld_2", "其他法律行政法规禁止公开"
    WITHHELD_SAFETY = "withheld_3", "危及“三安全一稳定”"
    WITHHELD_THIRD_PARTY = "withheld_4", "保护第三方合法权益"
    WITHHELD_INTERNAL = "withheld_5", "属于三类内部事务信息"
    WITHHELD_PROCESS = "withheld_6", "属于四类过程性信息"
    WITHHELD_ENFORCEMENT = "withheld_7", "属于行政执法案卷"
    WITHHELD_QUERY = "withheld_8", "属于行政查询事项"
    UNAVAILABLE_NOT_HELD = "unavailable_1", "本机关不掌握相关政府信息"
    UNAVAILABLE_TO_BE_MADE = "unavailable_2", "没有现成信息需要另行制作"
    UNAVAILABLE_UNCLEAR = "unavailable_3", "补正后申请内容仍不明确"
    NOT_PROCESSED_PETITION = "not_processed_1", "信访举报投诉类申请"
    NOT_PROCESSED_REPEATED = "not_processed_2", "重复申请"
    NOT_PROCESSED_PUBLICATION = "not_processed_3", "要求提供公开出版物"
    NOT_PROCESSED_EXCESSIVE = "not_processed_4", "无正当理由大量反复申请"
    NOT_PROCESSED_CONFIRMATION = "not_processed_5", "要求行政机关确认或重新出具已获取信息"
    OTHER_NO_CORRECTION = "other_1", "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    OTHER_UNPAID_FEE = "other_2", "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    OTHER = "other_3", "其他"

    @classmethod
    def for_outcome(cls, outcome: str) -> list["OutcomeReason"]:
        return [reason for reason in cls if reason.value.rsplit("_", 1)[0] == outcome]


OUTCOMES_WITH_REASONS = (Outcome.WITHHELD, Outcome.UNAVAILABLE, Outcome.NOT_PROCESSED, Outcome.OTHER)


def _outcome_pairs() -> Q:
    """Each outcome with exactly its own sub-reasons (or none, for the two that have none)."""
    condition = Q(outcome="", outcome_reason="")
    for outcome in Outcome:
        reasons = [reason.value for reason in OutcomeReason.for_outcome(outcome)]
        condition |= Q(outcome=outcome, outcome_reason__in=reasons) if reasons else Q(outcome=outcome, outcome_reason="")
    return condition


def letter_path(instance: "InformationRequest", filename: str) -> str:
    # Our own name, never the uploader's: no user-chosen path reaches the file system.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"request-letters/{timezone.now():%Y/%m}/{instance.number}-{timezone.now():%d%H%M%S%f}.{extension}"


class InformationRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=OPEN_STATES)

    def closed(self):
        return self.filter(state__in=CLOSED_STATES)

    def overdue(self, today):
        """Open requests whose answer deadline has passed (a paused clock has no deadline)."""
        return self.open().filter(due_on__lt=today)

    def for_unit(self, unit: Unit | None):
        return self.filter(unit=unit) if unit is not None else self

    def received_between(self, first, last):
        return self.filter(received_on__gte=first, received_on__lte=last)

    def for_listing(self):
        return self.select_related("unit")


class InformationRequest(models.Model):
    """One request (政府信息公开申请), from its receipt to the answer letter.

    Identity and contact data are what 第二十九条 asks for, no more; they are shown in full
    only to the handling unit and the district office (see `selectors.requests_visible_to`)."""

    number = models.CharField("申请编号", max_length=20, unique=True, editable=False)
    query_code_hash = models.CharField("查询码摘要", max_length=128, editable=False)
    # The one-time token of the public form that produced this request (replay protection).
    form_nonce = models.CharField("表单令牌", max_length=64, null=True, blank=True, editable=False)

    channel = models.CharField("申请渠道", max_length=12, choices=Channel.choices)
    received_on = models.DateField("收到申请日期", help_text="条例第三十一条：当面提交为提交之日，邮寄为签收之日，网上为系统收到之日。")
    clock_start_on = models.DateField("计时起算日期", help_text="补正后为收到补正申请之日（条例第三十条）。")

    applicant_kind = models.CharField("申请人类型", max_length=12, choices=ApplicantKind.choices)
    organisation_type = models.CharField("法人或其他组织类型", max_length=16, choices=OrganisationType.choices, blank=True)
    applicant_name = models.CharField("姓名或名称", max_length=100)
    id_type = models.CharField("证件类型", max_length=20, choices=IdType.choices)
    # 个人信息 encrypted at rest with SM4 (furong_portal/personal_data.py); the identity number
    # is also kept as a keyed SM3 digest for exact lookups (same applicant, per-identity limits).
    id_number = SM4EncryptedField("证件号码", max_length=30)
    id_number_digest = models.CharField("证件号码摘要", max_length=64, blank=True, editable=False, db_index=True)
    contact_person = SM4EncryptedField("联系人", max_length=50, blank=True)
    phone = SM4EncryptedField("联系电话", max_length=30, blank=True)
    email = SM4EncryptedField(
        "电子邮箱", max_length=254, blank=True, validators=[validate_email], form_class=forms.EmailField
    )
    address = SM4EncryptedField("通信地址", max_length=200, blank=True)
    personal_data_erased_on = models.DateField(
        "个人信息删除日期", null=True, blank=True, editable=False,
        help_text="办结满保存期限后，申请人的证件号码和联系方式被删除（个人信息保护法 第十九条、第四十七条）。",
    )  # fmt: skip
    postcode = models.CharField("邮政编码", max_length=6, blank=True)

    description = models.TextField("所需信息的内容描述", max_length=2000)
    document_title = models.CharField("信息名称", max_length=200, blank=True)
    document_number = models.CharField("文号", max_length=100, blank=True)
    medium = models.CharField("获取信息的载体", max_length=12, choices=Medium.choices)
    delivery = models.CharField("获取信息的方式", max_length=12, choices=Delivery.choices)

    unit = models.ForeignKey(
        Unit, models.PROTECT, null=True, blank=True, related_name="information_requests", verbose_name="办理单位",
        help_text="留空表示申请人不清楚，由区政务公开办转办。",
    )
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.REGISTERED, db_index=True)
    due_on = models.DateField(
        "答复期限", null=True, blank=True, db_index=True, help_text="补正中或征求第三方意见期间暂停计时，期限为空。"
    )

    due_on_provisional = models.BooleanField(
        "暂定期限", default=False,
        help_text="期限跨越尚无国务院放假通知的年份，暂按法定节假日推算；录入该年放假安排后自动重算。",
    )  # fmt: skip

    paused_since = models.DateField(
        "暂停计时起始日期", null=True, blank=True, editable=False,
        help_text="征求第三方意见或等待缴费期间暂停计时的起始日期；恢复计时后清空。",
    )  # fmt: skip

    correction_asked_on = models.DateField("告知补正日期", null=True, blank=True)
    correction_instructions = models.TextField("补正要求", max_length=2000, blank=True)
    correction_due_on = models.DateField("补正期限", null=True, blank=True)
    correction_received_on = models.DateField("收到补正日期", null=True, blank=True)
    correction_text = models.TextField("补正内容", max_length=2000, blank=True)

    extension_days = models.PositiveSmallIntegerField("延期工作日数", default=0)
    extension_reason = models.TextField("延期理由", max_length=1000, blank=True)
    extension_approver = models.CharField("延期批准人", max_length=100, blank=True)
    extended_on = models.DateField("延期日期", null=True, blank=True)

    outcome = models.CharField("办理结果", max_length=16, choices=Outcome.choices, blank=True)
    outcome_reason = models.CharField("具体情形", max_length=20, choices=OutcomeReason.choices, blank=True)
    letter_number = models.CharField("答复书文号", max_length=60, blank=True)
    letter_text = models.TextField("答复书正文", max_length=20000, blank=True)
    letter_file = models.FileField(
        "答复书文件", storage=private_storage, upload_to=letter_path, blank=True, max_length=200
    )
    sent_on = models.DateField("答复日期", null=True, blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True, db_index=True)

    overdue_notified_on = models.DateField("逾期提醒日期", null=True, blank=True, editable=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="登记人"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = InformationRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "政府信息公开申请"
        verbose_name_plural = "政府信息公开申请"
        ordering = ("-received_on", "-pk")
        indexes = (
            models.Index(fields=("unit", "state", "due_on"), name="request_unit_state_due"),
            models.Index(fields=("received_on",), name="request_received_on"),
        )
        constraints = (
            models.UniqueConstraint(
                fields=("form_nonce",), condition=Q(form_nonce__isnull=False), name="request_unique_form_nonce"
            ),
            models.UniqueConstraint(
                fields=("letter_number",), condition=~Q(letter_number=""), name="request_unique_letter_number"
            ),
            models.CheckConstraint(
                condition=Q(applicant_kind="person", organisation_type="")
                | (Q(applicant_kind="organisation") & ~Q(organisation_type="")),
                name="request_organisation_type_iff_organisation",
            ),
            models.CheckConstraint(condition=Q(clock_start_on__gte=F("received_on")), name="request_clock_after_receipt"),
            models.CheckConstraint(
                condition=Q(extension_days__lte=MAX_EXTENSION_WORKING_DAYS), name="request_extension_at_most_20"
            ),
            models.CheckConstraint(
                condition=Q(extension_days=0, extended_on__isnull=True)
                | (Q(extension_days__gt=0, extended_on__isnull=False) & ~Q(extension_reason="") & ~Q(extension_approver="")),
                name="request_extension_has_reason_and_approver",
            ),
            models.CheckConstraint(
                condition=~Q(state="correction")
                | Q(correction_asked_on__isnull=False, correction_due_on__isnull=False, correction_received_on__isnull=True),
                name="request_correction_asked_and_due",
            ),
            models.CheckConstraint(condition=_outcome_pairs(), name="request_outcome_reason_matches"),
            models.CheckConstraint(
                condition=Q(state__in=CLOSED_STATES, closed_on__isnull=False, closed_on__gte=F("received_on"))
                & ~Q(outcome="")
                | Q(state__in=OPEN_STATES, closed_on__isnull=True, outcome=""),
                name="request_closed_iff_outcome_and_date",
            ),
            models.CheckConstraint(
                condition=~Q(state="answered")
                | (Q(sent_on__isnull=False) & ~Q(letter_number="") & (~Q(letter_text="") | ~Q(letter_file=""))),
                name="request_answer_has_letter",
            ),
        )

    def __str__(self) -> str:
        return self.number

    def clean(self) -> None:
        """The rules of 第二十九条 with messages a person understands; the constraints above
        hold the ones the database can check."""
        errors = {}
        if self.applicant_kind == ApplicantKind.PERSON:
            self.organisation_type = ""
            if self.id_type and self.id_type not in PERSON_ID_TYPES:
                errors["id_type"] = "自然人请选择个人身份证件。"
        elif self.applicant_kind == ApplicantKind.ORGANISATION:
            if not self.organisation_type:
                errors["organisation_type"] = "请选择法人或其他组织的类型。"
            if self.id_type and self.id_type not in ORGANISATION_ID_TYPES:
                errors["id_type"] = "法人或其他组织请选择统一社会信用代码或组织机构代码。"
            if not self.contact_person:
                errors["contact_person"] = "法人或其他组织请填写联系人。"
        check = ID_NUMBER_CHECKS.get(self.id_type)
        if check and self.id_number and "id_type" not in errors:
            error = check(self.id_number)
            if error:
                errors["id_number"] = error
        if not (self.phone or self.email or self.address):
            errors["phone"] = "请至少填写一种联系方式：联系电话、电子邮箱或通信地址。"
        if self.delivery == Delivery.EMAIL and not self.email:
            errors["email"] = "选择以电子邮件方式获取信息，请填写电子邮箱。"
        if self.delivery == Delivery.POST and not self.address:
            errors["address"] = "选择邮寄方式获取信息，请填写通信地址。"
        if self.medium and self.delivery and self.delivery not in DELIVERIES_BY_MEDIUM[self.medium]:
            errors["delivery"] = f"{Medium(self.medium).label}信息不能以“{Delivery(self.delivery).label}”方式获取。"
        if self.postcode and not (self.postcode.isdigit() and len(self.postcode) == 6):
            errors["postcode"] = "邮政编码应为6位数字。"
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self) -> str:
        return reverse("requests:status", args=(self.number,))

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def unit_display(self) -> str:
        return str(self.unit) if self.unit_id else "不清楚（由区政务公开办转办）"

    @property
    def applicant_type_display(self) -> str:
        if self.applicant_kind == ApplicantKind.ORGANISATION:
            return f"{self.get_applicant_kind_display()}（{self.get_organisation_type_display()}）"
        return self.get_applicant_kind_display()

    @property
    def outcome_display(self) -> str:
        if self.outcome_reason:
            return f"{self.get_outcome_display()}：{self.get_outcome_reason_display()}"
        return self.get_outcome_display()


class RequestSequence(models.Model):
    """The last serial issued in one year's series of request numbers (YSQ-YYYY-NNNNN)."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    last_serial = models.PositiveIntegerField("已用流水号", default=0)

    class Meta:
        verbose_name = "申请编号流水"
        verbose_name_plural = "申请编号流水"
        ordering = ("year",)

    def __str__(self) -> str:
        return f"{self.year}：{self.last_serial}"


class RequestEvent(models.Model):
    """One step of a request: what happened, on which day, who did it. Never edited or deleted."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", "网上提交"
        REGISTERED = "registered", "登记"
        REASSIGNED = "reassigned", "转办"
        ACCEPTED = "accepted", "受理办理"
        CORRECTION_ASKED = "correction_asked", "告知补正"
        CORRECTION_RECEIVED = "correction_received", "收到补正"
        CORRECTION_LAPSED = "correction_lapsed", "逾期不补正"
        EXTENDED = "extended", "延期"
        CONSULTATION_STARTED = "consultation_started", "征求意见开始"
        CONSULTATION_ENDED = "consultation_ended", "征求意见结束"
        FEE_NOTICE = "fee_notice", "收费通知"
        FEE_PAID = "fee_paid", "缴费"
        ANSWERED = "answered", "答复"
        WITHDRAWN = "withdrawn", "撤回"
        QUERY_CODE_RESET = "query_code_reset", "重置查询码"
        DEADLINE_CHANGED = "deadline_changed", "期限重算"
        OVERDUE_NOTIFIED = "overdue_notified", "逾期提醒"

    request = models.ForeignKey(InformationRequest, models.CASCADE, related_name="events", verbose_name="申请")
    action = models.CharField("事项", max_length=24, choices=Action.choices)
    effective_on = models.DateField("日期")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="操作人"
    )
    actor_label = models.CharField("操作方", max_length=100, help_text="无账号时的操作方，如 申请人、系统。")
    note = models.TextField("说明", blank=True)
    created_at = models.DateTimeField("记录时间", default=timezone.now)

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ("request", "created_at", "pk")

    def __str__(self) -> str:
        return f"{self.request} · {self.get_action_display()} · {self.effective_on}"


class Consultation(models.Model):
    """A consultation of a third party or another agency; its working days are not counted
    towards the answer deadline (条例 第三十三条第三款)."""

    request = models.ForeignKey(InformationRequest, models.CASCADE, related_name="consultations", verbose_name="申请")
    party = models.CharField("征求意见对象", max_length=200)
    started_on = models.DateField("开始日期")
    reply_due_on = models.DateField(
        "答复期限", null=True, blank=True, help_text="第三方自收到征求意见之日起15个工作日内提出意见（条例第三十二条）。"
    )
    ended_on = models.DateField("结束日期", null=True, blank=True)
    reminded_on = models.DateField("逾期提醒日期", null=True, blank=True, editable=False)
    note = models.TextField("说明", max_length=2000, blank=True)

    class Meta:
        verbose_name = "征求意见"
        verbose_name_plural = "征求意见"
        ordering = ("request", "started_on", "pk")
        constraints = (
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")), name="consultation_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=("request",), condition=Q(ended_on__isnull=True), name="consultation_one_open_per_request"
            ),
        )

    def __str__(self) -> str:
        return f"{self.request} · {self.party}"


class FeeNotice(models.Model):
    """A 收费通知 (条例 第四十二条, 国办函〔2020〕109号): the answer clock does not run from the
    notice until payment, at most until the payment deadline; unpaid by then, the request may
    be closed as (六)2 逾期未按收费通知要求缴纳费用."""

    class Basis(models.TextChoices):
        REQUESTS = "requests", "按件计收"
        PAGES = "pages", "按量计收"

    request = models.ForeignKey(InformationRequest, models.CASCADE, related_name="fee_notices", verbose_name="申请")
    basis = models.CharField("计收方式", max_length=10, choices=Basis.choices)
    quantity = models.PositiveIntegerField("件次或页数", help_text="按件计收为申请人当月第几件申请；按量计收为页数。")
    amount = models.DecimalField("金额（元）", max_digits=10, decimal_places=2)
    issued_on = models.DateField("通知日期")
    pay_by = models.DateField("缴费期限")
    paid_on = models.DateField("缴费日期", null=True, blank=True)
    note = models.TextField("说明", max_length=2000, blank=True)

    class Meta:
        verbose_name = "收费通知"
        verbose_name_plural = "收费通知"
        ordering = ("request", "issued_on", "pk")
        constraints = (
            models.CheckConstraint(condition=Q(amount__gt=0), name="fee_notice_amount_positive"),
            models.CheckConstraint(condition=Q(pay_by__gt=F("issued_on")), name="fee_notice_pay_by_after_issue"),
            models.CheckConstraint(
                condition=Q(paid_on__isnull=True) | Q(paid_on__gte=F("issued_on")), name="fee_notice_paid_after_issue"
            ),
            models.UniqueConstraint(
                fields=("request",), condition=Q(paid_on__isnull=True), name="fee_notice_one_unpaid_per_request"
            ),
        )

    def __str__(self) -> str:
        return f"{self.request} · {self.amount} 元"

    @property
    def is_paid(self) -> bool:
        return self.paid_on is not None


class HolidayCalendarDay(models.Model):
    """A day whose status differs from the plain week: a statutory holiday or a 调休 make-up
    working day, per the State Council's yearly notice. Pre-filled from `chinese-calendar`;
    the district office enters the years the library does not know yet and may correct any day."""

    class Source(models.TextChoices):
        LIBRARY = "library", "chinese-calendar"
        OFFICE = "office", "区政务公开办录入"

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("上班", help_text="勾选表示调休上班日；不勾选表示法定节假日休息。")
    name = models.CharField("节日", max_length=50, help_text="如 国庆节、中秋节。")
    source = models.CharField("来源", max_length=10, choices=Source.choices, default=Source.OFFICE)

    class Meta:
        verbose_name = "节假日安排"
        verbose_name_plural = "节假日安排"
        ordering = ("date",)

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}（{'上班' if self.is_workday else '休息'}）"
