"""意见征集 (public consultation on drafts) and 意见采纳情况反馈.

芙政办发〔2020〕13号 第（五）条: 出台涉企政策时，主动向企业和行业协会商会征求意见; 第（十五）条:
完善基层行政决策公众参与机制. A unit publishes a draft for a period; anyone comments without an
account; the unit moderates the comments and, after the period, publishes which were adopted,
which not and why, linked both ways with the final document."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from disclosure.models import Item, attachment_path
from furong_portal.storage import private_storage
from responsibility.models import Unit

# No statute fixes when the feedback is due; the office's practice is one month after the
# period ends, after which the consultation is listed as overdue on its dashboard.
FEEDBACK_DUE_DAYS = 30


class ConsultationQuerySet(models.QuerySet):
    def public(self):
        return self.filter(state__in=Consultation.PUBLIC_STATES)

    def open(self, today=None):
        today = today or timezone.localdate()
        return self.filter(state=Consultation.State.PUBLISHED, opens_on__lte=today, closes_on__gte=today)

    def feedback_overdue(self, today=None):
        """Published, the period over for more than FEEDBACK_DUE_DAYS, no feedback yet."""
        today = today or timezone.localdate()
        return self.filter(
            state=Consultation.State.PUBLISHED, closes_on__lt=today - datetime.timedelta(days=FEEDBACK_DUE_DAYS)
        )


class Consultation(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"
        CONCLUDED = "concluded", "已反馈"

    # What the public sees: the consultation, its attachments and its feedback.
    PUBLIC_STATES = (State.PUBLISHED, State.CONCLUDED)

    unit = models.ForeignKey(Unit, models.PROTECT, related_name="consultations", verbose_name="征集单位")
    title = models.CharField("标题", max_length=200, help_text="如：关于《芙蓉区促进中小企业发展若干措施（征求意见稿）》公开征求意见的公告")
    policy_title = models.CharField("拟出台的政策文件", max_length=200)
    body = models.TextField("征求意见稿正文与起草说明")
    opens_on = models.DateField("征集开始日期")
    closes_on = models.DateField("征集截止日期")
    contact = models.CharField("意见反馈联系方式", max_length=300, help_text="公开显示，如 联系人、电话、电子邮箱、通信地址。")
    for_enterprises = models.BooleanField(
        "涉企政策", default=False, help_text="主动向企业和行业协会商会征求意见（工作要点第（五）条）。"
    )
    show_comments = models.BooleanField("公开显示经审核的意见", default=False)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.DRAFT)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    feedback = models.TextField("意见采纳情况说明", blank=True)
    feedback_published_at = models.DateTimeField("反馈发布时间", null=True, blank=True)
    final_document = models.ForeignKey(
        Item, models.SET_NULL, null=True, blank=True, related_name="consultations", verbose_name="正式出台的文件"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="创建人"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = "意见征集"
        verbose_name_plural = "意见征集"
        ordering = ("-opens_on", "-pk")
        permissions = (("review_consultation", "Can review 意见征集（发布征集与采纳情况反馈）"),)
        indexes = (models.Index(fields=("state", "-opens_on", "-id"), name="consultation_state_opens"),)
        constraints = (
            models.CheckConstraint(condition=Q(closes_on__gte=F("opens_on")), name="consultation_closes_after_opening"),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(published_at__isnull=False), name="consultation_published_has_date"
            ),
            models.CheckConstraint(
                condition=~Q(state="concluded") | (Q(feedback_published_at__isnull=False) & ~Q(feedback="")),
                name="consultation_concluded_has_feedback",
            ),
        )

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultations:consultation", args=(self.pk,))

    def is_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.state == self.State.PUBLISHED and self.opens_on <= today <= self.closes_on

    @property
    def feedback_due_on(self) -> datetime.date:
        return self.closes_on + datetime.timedelta(days=FEEDBACK_DUE_DAYS)


class ConsultationAttachment(models.Model):
    consultation = models.ForeignKey(Consultation, models.CASCADE, related_name="attachments", verbose_name="意见征集")
    # Private until the consultation is published (`furong_portal.files`), like an item's attachments.
    file = models.FileField("文件", storage=private_storage, upload_to=attachment_path)
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveBigIntegerField("大小（字节）", default=0)
    content_type = models.CharField("文件类型", max_length=100, blank=True)

    class Meta:
        verbose_name = "征求意见稿附件"
        verbose_name_plural = "征求意见稿附件"
        ordering = ("consultation", "pk")

    def __str__(self) -> str:
        return self.name


class Comment(models.Model):
    class Kind(models.TextChoices):
        PUBLIC = "public", "社会公众"
        ENTERPRISE = "enterprise", "企业"
        ASSOCIATION = "association", "行业协会商会"

    class State(models.TextChoices):
        PENDING = "pending", "待审核"
        APPROVED = "approved", "已通过"
        REJECTED = "rejected", "不予采用（无关、重复或违规内容）"

    class Decision(models.TextChoices):
        UNDECIDED = "undecided", "尚未处理"
        ADOPTED = "adopted", "采纳"
        PARTLY = "partly", "部分采纳"
        NOT_ADOPTED = "not_adopted", "未采纳"

    consultation = models.ForeignKey(Consultation, models.CASCADE, related_name="comments", verbose_name="意见征集")
    kind = models.CharField("提出者类型", max_length=12, choices=Kind.choices, default=Kind.PUBLIC)
    name = models.CharField("姓名或单位名称", max_length=100, blank=True)
    # Never shown on the public site (personal data kept to what the unit needs to reply).
    contact = models.CharField("联系方式", max_length=100, blank=True)
    body = models.TextField("意见内容", max_length=3000)
    submitted_at = models.DateTimeField("提交时间", default=timezone.now, db_index=True)
    state = models.CharField("审核状态", max_length=10, choices=State.choices, default=State.PENDING)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="审核人"
    )
    decision = models.CharField("采纳情况", max_length=12, choices=Decision.choices, default=Decision.UNDECIDED)
    decision_reason = models.TextField("理由或说明", blank=True)
    form_nonce = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "意见"
        verbose_name_plural = "意见"
        ordering = ("consultation", "submitted_at", "pk")
        indexes = (models.Index(fields=("consultation", "state", "submitted_at"), name="comment_listing"),)
        constraints = (
            models.CheckConstraint(
                condition=~Q(decision__in=("partly", "not_adopted")) | ~Q(decision_reason=""),
                name="comment_not_adopted_has_reason",
            ),
        )

    def __str__(self) -> str:
        return f"{self.consultation} · 意见 #{self.pk}"
