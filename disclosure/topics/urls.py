from django.urls import path

from . import feeds, views

app_name = "topics"

urlpatterns = [
    path("", views.TopicListView.as_view(), name="topics"),
    path("<slug:slug>/", views.TopicView.as_view(), name="topic"),
    path("<slug:slug>/sections/<slug:section>/", views.TopicView.as_view(), name="section"),
    path("<slug:slug>/rss/", feeds.TopicItemsFeed(), name="feed"),
    path("<slug:slug>/atom/", feeds.TopicItemsAtomFeed(), name="atom"),
]
