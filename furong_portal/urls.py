from django.conf import settings
from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static as static_url
from django.urls import include, path

from disclosure.opendata.api import api
from furong_portal.files import protected_file
from furong_portal.health import healthz

admin.site.site_header = "芙蓉区政府信息公开平台 · 管理后台"
admin.site.site_title = "芙蓉区政府信息公开平台"
admin.site.index_title = "内容管理"


def favicon(request):
    # Browsers ask for /favicon.ico on pages that name no icon (the admin's among them).
    return redirect(static_url("img/favicon.svg"), permanent=True)


urlpatterns = [
    path("favicon.ico", favicon),
    path("healthz", healthz, name="healthz"),
    path("files/<path:name>", protected_file, name="protected-file"),
    path("admin/", admin.site.urls),
    path("work-points/", include("tasks.urls")),
    path("units/", include("responsibility.urls")),
    path("catalogue/", include("responsibility.catalogue.urls")),
    path("api/v1/", api.urls),
    path("open-data/", include("disclosure.opendata.urls")),
    path("requests/", include("disclosure.requests.urls")),
    path("topics/", include("disclosure.topics.urls")),
    path("consultations/", include("disclosure.consultations.urls")),
    path("evaluation/", include("disclosure.evaluations.urls")),
    path("annual-reports/", include("disclosure.reports.urls")),
    path("", include("disclosure.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
