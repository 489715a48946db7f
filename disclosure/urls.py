from django.urls import path

from . import views

app_name = "disclosure"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("columns/<slug:slug>/", views.ColumnView.as_view(), name="column"),
    path("items/<int:pk>/", views.ItemView.as_view(), name="item"),
]
