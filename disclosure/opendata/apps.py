from django.apps import AppConfig


class OpenDataConfig(AppConfig):
    """Open data: the read-only public API (/api/v1/) and the bulk downloads (/open-data/)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "disclosure.opendata"
    label = "opendata"
    verbose_name = "开放数据"
