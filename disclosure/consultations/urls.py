from django.urls import path

from . import views

app_name = "consultations"

urlpatterns = [
    path("", views.ConsultationListView.as_view(), name="consultations"),
    path("<int:pk>/", views.ConsultationView.as_view(), name="consultation"),
    path("<int:pk>/comment/", views.CommentView.as_view(), name="comment"),
    path("<int:pk>/comment/received/", views.CommentReceivedView.as_view(), name="comment-received"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
]
