from django.urls import path

from . import views

app_name = "evaluations"

urlpatterns = [
    path("", views.EvaluationView.as_view(), name="evaluate"),
    path("thanks/", views.thanks, name="thanks"),
]
