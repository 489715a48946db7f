"""The project's admin site: Django's, with the lockout-aware login form and a start
page that shows each staff account its own work (see `disclosure.dashboard`)."""

from django.contrib import admin

from disclosure.dashboard import staff_dashboard
from responsibility.audit import LockoutAuthenticationForm


class FurongAdminSite(admin.AdminSite):
    site_header = "芙蓉区政府信息公开平台 · 管理后台"
    site_title = "芙蓉区政府信息公开平台"
    index_title = "内容管理"
    login_form = LockoutAuthenticationForm

    def index(self, request, extra_context=None):
        return super().index(request, {"dashboard": staff_dashboard(request.user), **(extra_context or {})})
