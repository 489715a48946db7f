"""Content-Security-Policy: strict for the public site, which has no JavaScript at all, and
only what Django's admin needs there (its own scripts, and inline styles, which the admin
templates and the rich-text editor use). The policies are `CONTENT_SECURITY_POLICY` and
`CONTENT_SECURITY_POLICY_ADMIN` in settings (django-csp's format).

The admin's rich-text editor loads its modules through an inline `<script type="importmap">`.
An import map runs no code (it only maps module names to URLs, which `script-src 'self'` still
checks), so each import map the page carries is allowed by its hash, and nothing else inline."""

import base64
import functools
import hashlib
import re

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings
from django.urls import get_script_prefix, reverse

IMPORT_MAP = re.compile(rb'<script type="importmap"[^>]*>(.*?)</script>', re.S)


def _import_map_hashes(response) -> list[str]:
    if getattr(response, "streaming", False) or not response.get("Content-Type", "").startswith("text/html"):
        return []
    return [
        f"'sha256-{base64.b64encode(hashlib.sha256(body).digest()).decode()}'"
        for body in IMPORT_MAP.findall(response.content)
    ]


@functools.lru_cache(maxsize=4)
def _scripted_prefixes(script_prefix: str) -> tuple[str, ...]:
    """The admin, and the open-data API's explorer (Swagger UI, scripts served by us).
    Kept: `reverse` costs about as much as the rest of the header, twice per response."""
    return reverse("admin:index"), script_prefix + "api/"


class PortalCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        scripted = request.path.startswith(_scripted_prefixes(get_script_prefix()))
        if not report_only and parts.config is None and scripted:
            parts.config = default_config(settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"])
            hashes = _import_map_hashes(response)
            if hashes:
                parts.update = {**(parts.update or {}), "script-src": hashes}
        return parts
