from django.conf import settings


def site_identity(request):
    """The footer's 网站标识码, 备案 numbers and contacts (settings.SITE_IDENTITY)."""
    return {"site_identity": settings.SITE_IDENTITY}
