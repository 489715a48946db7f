from django.contrib.admin.apps import AdminConfig


class FurongAdminConfig(AdminConfig):
    """`django.contrib.admin` with `furong_portal.admin.FurongAdminSite` as `admin.site`."""

    default_site = "furong_portal.admin.FurongAdminSite"
