"""Units (责任单位), the names they go by, and the disclosure platform's column tree
with the duties of the 平台内容保障责任分解表."""

import calendar
import os
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from furong_portal.personal_data import is_encrypted, sm3_keyed_digest, sm4_open, sm4_seal

from .codes import institution_code, institution_code_error


class Unit(models.Model):
    class Kind(models.TextChoices):
        DEPARTMENT = "department", "区直部门"
        SUBDISTRICT = "subdistrict", "街道办事处"
        PARK = "park", "园区/管理局"
        VERTICAL = "vertical", "市驻区垂直管理部门"
        PUBLIC_ENTERPRISE = "public_enterprise", "公共企事业单位"
        MASS_ORGANISATION = "mass_organisation", "群团组织"

    name = models.CharField("规范名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=50, blank=True)
    kind = models.CharField("单位类型", max_length=32, choices=Kind.choices, db_index=True)
    # The organisation code that prefixes 索引号 (国办秘函〔2009〕6号). The seed gives
    # none; a unit without one publishes under the district government's code
    # (settings.DISTRICT_ORGANISATION_CODE, see disclosure.services.index_prefix).
    code = models.CharField(
        "机构代码", max_length=18, blank=True,
        help_text="9位组织机构代码（如 12345678-9）或18位统一社会信用代码，用作索引号前缀；留空则使用区人民政府的机构代码。",
    )  # fmt: skip
    email = models.EmailField("联系邮箱", blank=True, help_text="接收逾期提醒等通知。")
    # 条例第十二条: the 指南 names where and when requests are received. Shown on the
    # 依申请公开 pages and the 联系我们 page; an empty value is simply not shown.
    address = models.CharField("受理地址", max_length=200, blank=True, help_text="接收信函和当面申请的地址。")
    postcode = models.CharField("邮政编码", max_length=6, blank=True)
    phone = models.CharField("咨询电话", max_length=60, blank=True)
    office_hours = models.CharField("受理时间", max_length=100, blank=True, help_text="如 工作日 9:00—12:00，13:30—17:30。")
    order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "责任单位"
        verbose_name_plural = "责任单位"
        ordering = ("order", "name")
        constraints = (
            models.UniqueConstraint(fields=("code",), condition=~Q(code=""), name="unit_unique_code"),
            # The shape of a 机构代码; clean() checks the check character and says why.
            models.CheckConstraint(
                condition=Q(code="") | Q(code__regex=r"^([0-9A-Z]{8}[0-9X]|[0-9A-Z]{18})$"), name="unit_code_shape"
            ),
        )

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("responsibility:unit", args=(self.pk,))

    def clean(self) -> None:
        if self.code:
            self.code = institution_code(self.code)
            error = institution_code_error(self.code)
            if error:
                raise ValidationError({"code": error})


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later; a month-end date maps to the month end
    (2020-02-29 + 6 months = 2020-08-31, 2020-08-31 + 6 months = 2021-02-28)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    if day.day == calendar.monthrange(day.year, day.month)[1]:
        return date(year, month, last_day)
    return date(year, month, min(day.day, last_day))


class Collective(models.Model):
    """A group the documents name instead of units (各街道, 区直各有关单位 …).

    A duty given to a collective stays visible as such; `members` resolves it."""

    name = models.CharField("名称", max_length=50, unique=True)
    description = models.CharField("说明", max_length=200, blank=True)
    members = models.ManyToManyField(Unit, related_name="collectives", blank=True, verbose_name="成员单位")
    order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "集合称谓"
        verbose_name_plural = "集合称谓"
        ordering = ("order", "name")

    def __str__(self) -> str:
        return self.name


class Alias(models.Model):
    """Another name under which the seed mentions a unit or a collective."""

    name = models.CharField("别称", max_length=100, unique=True)
    unit = models.ForeignKey(Unit, models.CASCADE, null=True, blank=True, related_name="aliases", verbose_name="单位")
    collective = models.ForeignKey(
        Collective, models.CASCADE, null=True, blank=True, related_name="aliases", verbose_name="集合称谓"
    )
    reason = models.CharField("认定依据", max_length=200, blank=True)

    class Meta:
        verbose_name = "别称"
        verbose_name_plural = "别称"
        ordering = ("name",)
        constraints = (
            models.CheckConstraint(
                condition=Q(unit__isnull=False, collective__isnull=True) | Q(unit__isnull=True, collective__isnull=False),
                name="alias_names_exactly_one_target",
            ),
        )

    def __str__(self) -> str:
        return f"{self.name} → {self.unit or self.collective}"


class ColumnQuerySet(models.QuerySet):
    def roots(self):
        return self.filter(parent__isnull=True)

    def leaves(self):
        return self.filter(children__isnull=True)

    def responsible_unit(self, unit: "Unit"):
        """Columns the unit answers for, named directly or as a member of a collective."""
        return self.filter(Q(duties__unit=unit) | Q(duties__collective__members=unit)).distinct()

    def with_duties(self):
        return self.prefetch_related(
            models.Prefetch("duties", queryset=Duty.objects.select_related("unit", "collective"))
        )


class Freshness(models.TextChoices):
    """How up to date a column is: the one definition, `Column.freshness_on`."""

    EMPTY = "empty", "空白栏目"
    STALE = "stale", "未及时更新"
    FRESH = "fresh", "正常"
    ON_CHANGE = "on_change", "有变化时更新"


class Column(models.Model):
    """A node of the platform's column tree (一级/二级/三级标题)."""

    class UpdateCycle(models.TextChoices):
        # Defaults follow 国办秘函〔2019〕19号 (政府网站与政务新媒体检查指标).
        NEWS = "news", "动态类（2周）"
        NOTICES = "notices", "通知公告/政策文件类（6个月）"
        YEARLY = "yearly", "规划计划/人事类（1年）"
        ON_CHANGE = "on_change", "有变化时更新"

    CYCLE_DAYS = {UpdateCycle.NEWS: 14, UpdateCycle.NOTICES: 183, UpdateCycle.YEARLY: 365, UpdateCycle.ON_CHANGE: None}
    # 国办秘函〔2019〕19号 says "6 months" and plan columns "a year": calendar months, not days.
    # CYCLE_DAYS is only the default of `stale_after_days`; a column still on that default
    # is measured in these months, one the office gave its own number of days in days.
    CYCLE_MONTHS = {UpdateCycle.NOTICES: 6, UpdateCycle.YEARLY: 12}
    MAX_DEPTH = 3

    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name="上级栏目"
    )
    number = models.CharField("序号", max_length=10, help_text="按分解表原样，如 一、1.、(1)。")
    title = models.CharField("标题", max_length=100)
    slug = models.SlugField("网址标识", max_length=40, unique=True)
    level = models.PositiveSmallIntegerField("层级", default=1)
    order = models.PositiveIntegerField("排序")
    note = models.CharField("备注", max_length=200, blank=True)
    responsibility_text = models.CharField(
        "责任单位（原文）", max_length=300, blank=True, help_text="分解表中责任单位一栏的原文。"
    )
    update_cycle = models.CharField("更新要求", max_length=16, choices=UpdateCycle.choices, default=UpdateCycle.NOTICES)
    stale_after_days = models.PositiveIntegerField(
        "超期天数", null=True, blank=True, help_text="超过该天数无新信息即视为未及时更新；留空表示有变化时更新。"
    )

    objects = ColumnQuerySet.as_manager()

    class Meta:
        verbose_name = "栏目"
        verbose_name_plural = "栏目"
        ordering = ("level", "order")
        constraints = (
            models.UniqueConstraint(fields=("parent", "number"), name="column_unique_number_in_parent"),
            models.UniqueConstraint(fields=("parent", "order"), name="column_unique_order_in_parent"),
            models.UniqueConstraint(
                fields=("number",), condition=Q(parent__isnull=True), name="column_unique_root_number"
            ),
            models.CheckConstraint(condition=~Q(parent=models.F("pk")), name="column_not_own_parent"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=3), name="column_level_1_to_3"),
            models.CheckConstraint(
                condition=Q(parent__isnull=True, level=1) | Q(parent__isnull=False, level__gt=1),
                name="column_root_iff_level_1",
            ),
        )

    def __str__(self) -> str:
        return self.title

    def fresh_until(self, last: date, *, cycle_days: int | None = None) -> date | None:
        """The last day on which a column whose newest item is of `last` (local date) still
        counts as updated (国办秘函〔2019〕19号), or the sooner end of a 标准目录 period of
        `cycle_days`; None for columns updated on change without such a period."""
        own = None
        if self.stale_after_days is not None:
            months = self.CYCLE_MONTHS.get(self.update_cycle)
            if months and self.stale_after_days == self.CYCLE_DAYS[self.update_cycle]:
                own = add_months(last, months)
            else:
                own = last + timedelta(days=self.stale_after_days)
        by_catalogue = last + timedelta(days=cycle_days) if cycle_days else None
        return min(filter(None, (own, by_catalogue)), default=None)

    @property
    def update_requirement(self) -> str:
        """The rule in words: 6 个月内, 14 天内, 有变化时更新."""
        if self.stale_after_days is None:
            return "有变化时更新"
        months = self.CYCLE_MONTHS.get(self.update_cycle)
        if months and self.stale_after_days == self.CYCLE_DAYS[self.update_cycle]:
            return f"{months} 个月内"
        return f"{self.stale_after_days} 天内"

    def is_stale_on(self, last: date | None, today: date) -> bool:
        """Not updated in time as of `today`: no item at all, or the newest one too old."""
        if self.stale_after_days is None:
            return False
        return last is None or today > self.fresh_until(last)

    def freshness_on(self, last_published_at, *, today, cycle_days: int | None = None) -> str:
        """A column's freshness, the one definition: empty with nothing published; stale after
        `fresh_until` (Beijing dates); "on change" without any cycle. The office's freshness
        report reads this (with the 标准目录 period), a unit's start page `is_stale_on`."""
        if last_published_at is None:
            return Freshness.EMPTY
        until = self.fresh_until(timezone.localdate(last_published_at), cycle_days=cycle_days)
        if until is None:
            return Freshness.ON_CHANGE
        return Freshness.STALE if today > until else Freshness.FRESH

    def get_absolute_url(self) -> str:
        return reverse("disclosure:column", args=(self.slug,))

    def clean(self) -> None:
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": "上级栏目不能是本栏目或其下级栏目。"})
            ancestor = ancestor.parent
        expected_level = self.parent.level + 1 if self.parent else 1
        if expected_level > self.MAX_DEPTH:
            raise ValidationError({"parent": f"栏目最多 {self.MAX_DEPTH} 级。"})
        self.level = expected_level


class Duty(models.Model):
    """One responsible unit (or collective) of a column, in the table's order."""

    column = models.ForeignKey(Column, models.CASCADE, related_name="duties", verbose_name="栏目")
    position = models.PositiveSmallIntegerField("顺序")
    unit = models.ForeignKey(Unit, models.PROTECT, null=True, blank=True, related_name="duties", verbose_name="单位")
    collective = models.ForeignKey(
        Collective, models.PROTECT, null=True, blank=True, related_name="duties", verbose_name="集合称谓"
    )
    printed_name = models.CharField("原文名称", max_length=100, help_text="分解表中的写法，如 区市场监管局。")

    class Meta:
        verbose_name = "栏目责任"
        verbose_name_plural = "栏目责任"
        ordering = ("column", "position")
        constraints = (
            models.UniqueConstraint(fields=("column", "position"), name="duty_unique_position_in_column"),
            models.CheckConstraint(
                condition=Q(unit__isnull=False, collective__isnull=True) | Q(unit__isnull=True, collective__isnull=False),
                name="duty_names_exactly_one_party",
            ),
        )

    def __str__(self) -> str:
        return f"{self.column}：{self.printed_name}"

    @property
    def party(self):
        return self.unit or self.collective


class StaffProfile(models.Model):
    """Which unit a back-office account works for; no unit means the district office (区政务公开办)."""

    user = models.OneToOneField(
        "auth.User", models.CASCADE, related_name="staff_profile", verbose_name="账号"
    )
    unit = models.ForeignKey(
        Unit, models.PROTECT, null=True, blank=True, related_name="staff", verbose_name="所属单位",
        help_text="区政务公开办的账号不属于任何单位。",
    )
    phone = models.CharField("联系电话", max_length=30, blank=True)

    class Meta:
        verbose_name = "工作人员"
        verbose_name_plural = "工作人员"
        ordering = ("unit", "user__username")

    def __str__(self) -> str:
        return f"{self.user.get_username()}（{self.unit or '区政务公开办'}）"


class AuditEvent(models.Model):
    """One security-relevant event: a login, a failed login, a change of an account's
    access, a publication. GB/T 22239-2019 (等保2.0) asks for time, user, event and
    outcome, kept at least six months and protected from change: rows are only ever
    added (`responsibility.audit.audit_record`) and the admin shows them read-only."""

    class Action(models.TextChoices):
        LOGIN = "login", "登录"
        LOGIN_FAILED = "login_failed", "登录失败"
        LOGIN_BLOCKED = "login_blocked", "账号锁定期间尝试登录"
        LOGOUT = "logout", "退出登录"
        ACCOUNT_CREATED = "account_created", "创建账号"
        ACCOUNT_CHANGED = "account_changed", "修改账号权限"
        ACCOUNT_DELETED = "account_deleted", "删除账号"
        PASSWORD_CHANGED = "password_changed", "修改密码"
        GROUP_CHANGED = "group_changed", "修改角色权限"
        ITEM_PUBLISHED = "item_published", "发布信息"
        ITEM_SCHEDULED = "item_scheduled", "定时发布信息"
        ITEM_WITHDRAWN = "item_withdrawn", "撤回信息"
        ITEM_VALIDITY = "item_validity", "变更有效性"
        ITEMS_IMPORTED = "items_imported", "批量导入信息"
        DATA_EXPORTED = "data_exported", "导出数据"
        ACCOUNT_UNLOCKED = "account_unlocked", "解除登录锁定"
        PASSWORD_MUST_CHANGE = "password_must_change", "要求修改密码"
        OTP_ENROLLED = "otp_enrolled", "启用第二因素"
        OTP_VERIFIED = "otp_verified", "第二因素验证"
        OTP_RESET = "otp_reset", "重置第二因素"
        SESSION_EXPIRED = "session_expired", "闲置超时退出"
        PERSONAL_DATA_VIEWED = "personal_data_viewed", "查看完整个人信息"
        PERSONAL_DATA_ERASED = "personal_data_erased", "删除到期个人信息"
        AUDIT_PRUNED = "audit_pruned", "清理到期审计日志"
        INTERPRETATION_EXEMPTED = "interp_exempted", "登记解读豁免"
        TOPIC_CHANGED = "topic_changed", "修改专栏"
        CONSULTATION_PUBLISHED = "consult_published", "发布意见征集"
        FEEDBACK_PUBLISHED = "feedback_published", "发布意见采纳情况反馈"
        PLAN_IMPORTED = "plan_imported", "导入工作要点"
        TABLE_IMPORTED = "table_imported", "导入修订的责任分解表"

    class Outcome(models.TextChoices):
        SUCCESS = "success", "成功"
        FAILURE = "failure", "失败"

    # Set by `audit_record` before the row is hashed, so the hash covers it.
    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    # PROTECT: an account with a history is deactivated, never deleted (its records
    # cannot be changed to point at nobody, and the chain covers `actor_id`).
    actor = models.ForeignKey(
        "auth.User", models.PROTECT, null=True, blank=True, related_name="audit_events", verbose_name="账号"
    )
    # Kept as text as well: a failed login may name no existing account, and the
    # record must still say who it was after an account is deleted.
    username = models.CharField("用户名", max_length=150, blank=True)
    action = models.CharField("事件", max_length=20, choices=Action.choices)
    outcome = models.CharField("结果", max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS)
    target = models.CharField("对象", max_length=300, blank=True)
    target_type = models.CharField("对象类型", max_length=100, blank=True)
    target_id = models.CharField("对象编号", max_length=40, blank=True)
    ip_address = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    detail = models.JSONField("详情", default=dict, blank=True)
    # The SM3 hash chain (responsibility/audit_chain.py): `previous_hash` is the
    # `record_hash` of the record before; `record_hash` covers this row's fields and
    # `previous_hash`. Changing or removing any record breaks the chain after it.
    previous_hash = models.CharField("前一记录摘要", max_length=64, blank=True)
    record_hash = models.CharField("记录摘要（SM3）", max_length=64, blank=True)

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ("-created_at", "-pk")
        indexes = (
            models.Index(fields=("action", "-created_at"), name="audit_action_created"),
            models.Index(fields=("username", "action", "-created_at"), name="audit_username_action_created"),
        )

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.username or '-'} {self.get_action_display()}"


class AccountSecurity(models.Model):
    """Password age and the duty to change it (GB/T 22239-2019 8.1.4.1): an account
    without a row counts its password's age from when it joined."""

    user = models.OneToOneField("auth.User", models.CASCADE, related_name="security", verbose_name="账号")
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    must_change_password = models.BooleanField(
        "须修改密码", default=False, help_text="新建账号和被他人重设密码的账号，下次登录后须先修改密码。"
    )

    class Meta:
        verbose_name = "账号安全状态"
        verbose_name_plural = "账号安全状态"
        ordering = ("user__username",)

    def __str__(self) -> str:
        return f"{self.user.get_username()} 的账号安全状态"


# The length of django-otp's own keys (`otp_totp.models.default_key`): 160 bits, as RFC 4226 recommends.
TOTP_KEY_BYTES = 20


class SealedTOTPDevice(TOTPDevice):
    """An authenticator (django-otp's TOTP device) whose secret is stored sealed with SM4
    (GB/T 22239-2019 8.1.4.8: 鉴别信息 confidential at rest), as applicants' personal data
    are: a copy of the database or a backup does not give away the codes. The same table
    as django-otp's; its `key` column holds `sm4:<key id>:…` instead of hex (migration
    0011 sealed the keys stored before). Create one with `sealed_totp_key()` as its key.
    Codes are checked only through `second_factor`, which reads these rows as this class:
    django-otp's own helpers that list every device class (`devices_for_user`,
    `match_token`) would also read them as its TOTPDevice, which cannot open the key."""

    class Meta:
        proxy = True
        verbose_name = "身份验证器"
        verbose_name_plural = "身份验证器"

    @property
    def bin_key(self) -> bytes:
        # A key in django-otp's own hex form (a device made by other code than second_factor) still works.
        return sm4_open(self.key) if is_encrypted(self.key) else super().bin_key


def sealed_totp_key() -> str:
    """A new authenticator secret (django-otp's length, 20 bytes), sealed."""
    return sm4_seal(os.urandom(TOTP_KEY_BYTES))


# What django-otp's recovery-code column holds (16 characters): 64 bits of the code's digest.
RECOVERY_DIGEST_LENGTH = 16


class DigestedStaticDevice(StaticDevice):
    """An account's recovery codes (django-otp's static device) stored as keyed SM3 digests
    (HMAC-SM3 with `PERSONAL_DATA_DIGEST_KEY`), never as the codes: whoever reads the
    table cannot use them. The codes are shown once, when issued; a code typed in is
    digested and looked up. Changing the digest key voids the codes (they cannot be
    digested again): the 安全管理员's reset gives the account new ones."""

    class Meta:
        proxy = True
        verbose_name = "恢复码"
        verbose_name_plural = "恢复码"

    def verify_token(self, token):
        return super().verify_token(recovery_code_digest(token))


def recovery_code_digest(code: str) -> str:
    """How a recovery code is stored and looked up (case and surrounding spaces ignored)."""
    return sm3_keyed_digest(code)[:RECOVERY_DIGEST_LENGTH]
