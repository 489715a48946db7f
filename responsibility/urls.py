from django.urls import path

from . import views

app_name = "responsibility"

urlpatterns = [
    path("<int:pk>/", views.UnitDetailView.as_view(), name="unit"),
]
