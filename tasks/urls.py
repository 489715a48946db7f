from django.urls import path, register_converter

from .converters import YearConverter

from . import views

app_name = "tasks"
register_converter(YearConverter, "year")

urlpatterns = [
    path("", views.WorkPointListView.as_view(), name="work-points"),
    # A year has four digits and a point number at most two: years are tried first.
    path("<year:year>/", views.WorkPointListView.as_view(), name="work-points-of-year"),
    path("<year:year>/<int:number>/", views.WorkPointDetailView.as_view(), name="work-point-of-year"),
    path("<int:number>/", views.WorkPointDetailView.as_view(), name="work-point"),
]
