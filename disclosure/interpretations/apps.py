from django.apps import AppConfig


class InterpretationsConfig(AppConfig):
    """三同步: a normative document and its interpretation are approved and published together
    (芙政办发〔2020〕13号 第（十八）条)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "disclosure.interpretations"
    label = "interpretations"
    verbose_name = "政策解读（三同步）"
