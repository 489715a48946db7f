"""The project's admin site: Django's, with the lockout-aware login form, the
second-factor page (`responsibility.security`), a recorded password change and a start
page that shows each staff account its own work (see `disclosure.dashboard`)."""

from django.contrib import admin
from django.urls import path

from disclosure.dashboard import staff_dashboard
from responsibility.audit import LockoutAuthenticationForm
from responsibility.passwords import password_set_record
from responsibility.security import second_factor_view


class FurongAdminSite(admin.AdminSite):
    site_header = "芙蓉区政府信息公开平台 · 管理后台"
    site_title = "芙蓉区政府信息公开平台"
    index_title = "内容管理"
    login_form = LockoutAuthenticationForm

    def index(self, request, extra_context=None):
        return super().index(request, {"dashboard": staff_dashboard(request.user), **(extra_context or {})})

    def get_urls(self):
        return [path("second-factor/", self.admin_view(self.second_factor), name="second_factor"), *super().get_urls()]

    def second_factor(self, request):
        return second_factor_view(request, site=self)

    def password_change(self, request, extra_context=None):
        response = super().password_change(request, extra_context)
        if request.method == "POST" and response.status_code == 302:
            password_set_record(account=request.user, actor=request.user, request=request)
        return response
