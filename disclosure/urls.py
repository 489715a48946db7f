from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from furong_portal.pagecache import public_cached

from . import feeds, views
from .sitemaps import SITEMAPS

app_name = "disclosure"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("columns/<slug:slug>/", views.ColumnView.as_view(), name="column"),
    path("columns/<slug:slug>/rss/", feeds.ColumnItemsFeed(), name="column-feed"),
    path("columns/<slug:slug>/atom/", feeds.ColumnItemsAtomFeed(), name="column-atom"),
    path("items/<int:pk>/", views.ItemView.as_view(), name="item"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("documents/", views.DocumentLibraryView.as_view(), name="documents"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("rss/", feeds.LatestItemsFeed(), name="feed"),
    path("atom/", feeds.LatestItemsAtomFeed(), name="atom"),
    path("site-map/", views.SiteMapView.as_view(), name="site-map"),
    path("contact/", views.ContactView.as_view(), name="contact"),
    path("elder-mode/", views.elder_mode, name="elder-mode"),
    path("robots.txt", views.robots_txt, name="robots"),
    path(
        "sitemap.xml",
        public_cached(sitemap_views.index, max_age=3600),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "disclosure:sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        public_cached(sitemap_views.sitemap, max_age=3600),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
]
