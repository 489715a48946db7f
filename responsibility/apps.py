from django.apps import AppConfig


class ResponsibilityConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "responsibility"
    verbose_name = "责任单位与栏目"

    def ready(self):
        # Connects the login/logout/failed-login receivers of the audit log.
        from . import audit, checks  # noqa: F401
