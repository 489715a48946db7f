from django.apps import AppConfig


class ChecksConfig(AppConfig):
    """发布前检查: 错敏词, links and attachments, 保密审查, and the daily link checker."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "disclosure.checks"
    label = "checks"
    verbose_name = "发布前检查"
