from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    """社会评议: the public's evaluation of the disclosure work (芙政办发〔2020〕13号 第（二十）条)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "disclosure.evaluations"
    label = "evaluations"
    verbose_name = "社会评议"
