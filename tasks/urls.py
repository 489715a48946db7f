from django.urls import path

from . import views

app_name = "tasks"

urlpatterns = [
    path("", views.WorkPointListView.as_view(), name="work-points"),
    path("<int:number>/", views.WorkPointDetailView.as_view(), name="work-point"),
]
