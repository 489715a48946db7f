from django.apps import AppConfig


class RequestsConfig(AppConfig):
    """依申请公开: requests for information under 条例 第二十九–三十六条."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "disclosure.requests"
    label = "requests"
    verbose_name = "依申请公开"
