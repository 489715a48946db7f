from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("<int:pk>/tables.xlsx", views.report_tables_xlsx, name="xlsx"),
]
