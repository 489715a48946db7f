from django.apps import AppConfig


class TopicsConfig(AppConfig):
    """专栏: curated thematic sections gathering items from any column and unit
    (芙政办发〔2020〕13号 第（一）（四）（五）（十七）条)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "disclosure.topics"
    label = "topics"
    verbose_name = "专栏"
