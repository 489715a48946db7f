from django.urls import path

from . import views

app_name = "requests"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("apply/", views.ApplyView.as_view(), name="apply"),
    path("apply/receipt/", views.SubmittedView.as_view(), name="submitted"),
    path("status/", views.LookupView.as_view(), name="lookup"),
    path("status/<str:number>/", views.StatusView.as_view(), name="status"),
    path("status/<str:number>/letter/", views.LetterView.as_view(), name="letter"),
    path("procedure/", views.ProcedureView.as_view(), name="procedure"),
    path("paper-form/", views.PaperFormView.as_view(), name="paper-form"),
]
