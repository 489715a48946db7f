"""三同步 (芙政办发〔2020〕13号 第（十八）条: 政策性文件与解读方案、解读材料同步组织、同步审签、同步部署、
同步公开): the office's recorded exemptions, and the list of published normative documents that
still have no interpretation."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef

from disclosure.models import Item, ItemQuerySet


class InterpretationExemption(models.Model):
    """The district office's decision that a normative document needs no interpretation."""

    document = models.OneToOneField(
        Item, models.CASCADE, related_name="interpretation_exemption", verbose_name="规范性文件"
    )
    reason = models.TextField("不需解读的理由")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="登记人"
    )
    granted_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "解读豁免"
        verbose_name_plural = "解读豁免"
        ordering = ("-granted_at", "-pk")
        constraints = (models.CheckConstraint(condition=~models.Q(reason=""), name="interpretation_exemption_has_reason"),)

    def __str__(self) -> str:
        return f"{self.document}（不需解读）"


class UninterpretedQuerySet(ItemQuerySet):
    def lacking_interpretation(self):
        """Published normative documents with no published interpretation and no exemption."""
        interpreted = Item.objects.filter(interprets=OuterRef("pk"), state=Item.State.PUBLISHED)
        exempt = InterpretationExemption.objects.filter(document=OuterRef("pk"))
        return (
            self.filter(is_normative=True, state=Item.State.PUBLISHED)
            .exclude(Exists(interpreted))
            .exclude(Exists(exempt))
        )


class UninterpretedDocument(Item):
    """The office's list: published normative documents still without an interpretation."""

    objects = UninterpretedQuerySet.as_manager()

    class Meta:
        proxy = True
        verbose_name = "缺少解读的规范性文件"
        verbose_name_plural = "缺少解读的规范性文件"
        ordering = ("-published_at", "-pk")
