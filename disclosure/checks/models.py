"""What the office configures for the checks before publication, and what they found.

国办秘函〔2019〕19号 counts a serious wording error (错敏词, e.g. a wrong name of the
state or an outdated agency name) as a 单项否决; 《政府网站发展指引》(国办发〔2017〕47号)
requires a 保密审查 before anything is published."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Severity(models.TextChoices):
    BLOCK = "block", "阻止提交和发布"
    WARN = "warn", "提示，可继续"
    OFF = "off", "不检查"


class SensitiveTermQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True).exclude(severity=Severity.OFF)


class SensitiveTerm(models.Model):
    """One wrong or sensitive expression (错敏词) with the form to use instead."""

    term = models.CharField(
        "错敏词", max_length=100, unique=True, help_text="出现即提示的写法，如 已撤销的机构名称、错误的称谓。"
    )
    suggestion = models.CharField("建议写法", max_length=200, blank=True, help_text="正确的写法，如 现行机构名称。")
    severity = models.CharField("处理方式", max_length=8, choices=Severity.choices, default=Severity.WARN)
    note = models.CharField("说明", max_length=200, blank=True, help_text="为什么不能这样写，提示时一并显示。")
    is_active = models.BooleanField("启用", default=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = SensitiveTermQuerySet.as_manager()

    class Meta:
        verbose_name = "错敏词"
        verbose_name_plural = "错敏词"
        ordering = ("term",)
        constraints = (models.CheckConstraint(condition=~Q(term=""), name="sensitive_term_not_empty"),)

    def __str__(self) -> str:
        return self.term


class CheckPolicy(models.Model):
    """How a built-in check's findings count: block, warn, or not at all."""

    class Kind(models.TextChoices):
        INTERNAL_LINK = "internal_link", "站内链接无效（信息、附件或栏目不存在或未公开）"
        EXTERNAL_LINK = "external_link", "外部链接在最近一次链接检查中无法访问"
        UNSAFE_LINK = "unsafe_link", "链接地址格式错误或协议不安全"
        ATTACHMENT_FILE = "attachment_file", "附件文件缺失或为空"
        ATTACHMENT_MENTIONED = "attachment_mentioned", "正文提到“附件”但未上传附件"

    kind = models.CharField("检查项", max_length=24, choices=Kind.choices, unique=True)
    severity = models.CharField("处理方式", max_length=8, choices=Severity.choices, default=Severity.WARN)

    class Meta:
        verbose_name = "检查项设置"
        verbose_name_plural = "检查项设置"
        ordering = ("kind",)

    def __str__(self) -> str:
        return self.get_kind_display()


class CheckRun(models.Model):
    """One run of the checks on an item, at submission or at approval, and what it found."""

    class Stage(models.TextChoices):
        SUBMIT = "submit", "提交审核"
        PUBLISH = "publish", "审核发布"

    class Outcome(models.TextChoices):
        PASSED = "passed", "通过"
        WARNED = "warned", "有提示"
        BLOCKED = "blocked", "被阻止"

    item = models.ForeignKey("disclosure.Item", models.CASCADE, related_name="check_runs", verbose_name="信息")
    stage = models.CharField("环节", max_length=8, choices=Stage.choices)
    outcome = models.CharField("结果", max_length=8, choices=Outcome.choices)
    findings = models.JSONField("发现的问题", default=list, blank=True, help_text="[{kind, severity, message}]")
    # 保密审查 (国办发〔2017〕47号): the reviewer confirms it with the approval.
    secrecy_confirmed = models.BooleanField("已确认保密审查", default=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="操作人"
    )
    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "发布前检查记录"
        verbose_name_plural = "发布前检查记录"
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"{self.item} · {self.get_stage_display()} · {self.get_outcome_display()}"


class LinkStatusQuerySet(models.QuerySet):
    def broken(self):
        return self.filter(is_broken=True)


class LinkStatus(models.Model):
    """The last result of the daily link checker for one address found in published items."""

    url = models.URLField("链接地址", max_length=1000, unique=True)
    items = models.ManyToManyField("disclosure.Item", related_name="link_statuses", blank=True, verbose_name="所在信息")
    is_broken = models.BooleanField("无法访问", default=False, db_index=True)
    status_code = models.PositiveSmallIntegerField("HTTP 状态码", null=True, blank=True)
    error = models.CharField("错误", max_length=300, blank=True)
    checked_at = models.DateTimeField("检查时间", null=True, blank=True, db_index=True)
    broken_since = models.DateTimeField("首次发现无法访问", null=True, blank=True)
    last_seen_at = models.DateTimeField("最近一次在信息中出现", default=timezone.now)

    objects = LinkStatusQuerySet.as_manager()

    class Meta:
        verbose_name = "链接检查结果"
        verbose_name_plural = "链接检查结果"
        ordering = ("-is_broken", "url")

    def __str__(self) -> str:
        return self.url

    @property
    def problem(self) -> str:
        return f"HTTP {self.status_code}" if self.status_code else (self.error or "无法访问")
