from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """政府信息公开工作年度报告 (条例 第四十九、五十条; format of 国办公开办函〔2021〕30号)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "disclosure.reports"
    label = "reports"
    verbose_name = "政府信息公开年报"
