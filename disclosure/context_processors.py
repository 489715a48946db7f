from django.conf import settings

from furong_portal.pagecache import elder_mode_chosen


def site_identity(request):
    """The footer's 网站标识码, 备案 numbers and contacts (settings.SITE_IDENTITY)."""
    return {"site_identity": settings.SITE_IDENTITY}


def elder_mode(request):
    """Whether the visitor chose 长者模式. Read here rather than as `request.COOKIES.elder_mode`
    in base.html: a template lookup of a missing key fails through an exception and a
    `dir()` of the dictionary, three times a page for every visitor without the cookie."""
    return {"elder_mode": elder_mode_chosen(request)}
