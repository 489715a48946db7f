from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("", views.OpenDataView.as_view(), name="index"),
    path("files/<str:name>", views.download, name="file"),
]
