from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    """意见征集: drafts published for public comment, and the 意见采纳情况反馈
    (芙政办发〔2020〕13号 第（五）（十五）条)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "disclosure.consultations"
    label = "consultations"
    verbose_name = "意见征集"
