from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    """基层政务公开标准目录 (国办发〔2019〕54号): what each column must publish, on what basis,
    within what time, through which channels."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "responsibility.catalogue"
    label = "catalogue"
    verbose_name = "基层政务公开标准目录"
