"""Content-Security-Policy: strict for the public site, which has no JavaScript at all, and
only what Django's admin needs there (its own scripts, and the inline `style` attributes of
a few admin templates). The policies are `CONTENT_SECURITY_POLICY` and
`CONTENT_SECURITY_POLICY_ADMIN` in settings (django-csp's format)."""

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings
from django.urls import reverse


class PortalCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None and request.path.startswith(reverse("admin:index")):
            parts.config = default_config(settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"])
        return parts
